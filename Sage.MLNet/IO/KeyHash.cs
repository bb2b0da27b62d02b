using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Sage.MLNet.IO;

/// <summary>
/// An incremental SHA-256 over typed fields; each string is length-prefixed so that no two different field
/// sequences give the same bytes ("ab", "c" versus "a", "bc").
/// </summary>
internal sealed class KeyHash : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public KeyHash Add(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Add(bytes.LongLength);
        _hash.AppendData(bytes);
        return this;
    }

    public KeyHash Add(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _hash.AppendData(bytes);
        return this;
    }

    /// <summary>Returns the hash as 64 lower-case hex digits.</summary>
    public string ToHex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>Returns the SHA-256 of a file's bytes as 64 lower-case hex digits.</summary>
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose() => _hash.Dispose();
}
