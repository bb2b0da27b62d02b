using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Sage.MLNet.IO;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>Writes and reads one video's cached features, a <c>&lt;videoKey&gt;.features</c> file.</summary>
/// <remarks>
/// Layout, integers and floats little-endian:
/// <code>
/// offset           bytes      field
/// 0                8          magic, ASCII "SAGEFEAT"
/// 8                4          int32 format version (FormatVersion, 1)
/// 12               4          int32 T, frames
/// 16               4          int32 D, features per frame
/// 20               4          int32 C, extra per-frame channels (faces: 1, FaceFound; audio: 0)
/// 24               4·T·D      float32 features, [T, D] frame-major
/// 24 + 4·T·D       4·C·T      float32 extra channels, [C, T] channel-major
/// end − 32         32         SHA-256 of every byte before it
/// </code>
/// A file whose length, magic, version, T, D, C or hash is not what the reader expects counts as absent, so a damaged
/// or foreign file is recomputed and overwritten rather than trusted. Files are written through <see cref="AtomicFile"/>,
/// so a killed writer leaves at most a hidden temporary sibling, which readers never open.
/// </remarks>
internal static class FeatureCacheFile
{
    public const int FormatVersion = 1;
    public const string Extension = ".features";
    public const int HeaderSize = 24;
    public const int HashSize = 32;

    private static ReadOnlySpan<byte> Magic => "SAGEFEAT"u8;

    /// <summary>Writes the file through <see cref="AtomicFile"/>, streaming the floats and hashing them as they go: no copy of the whole file in memory.</summary>
    public static void Write(string path, VideoFeatures features) =>
        AtomicFile.Write(path, stream => Write(stream, features));

    /// <summary>Returns the file's bytes in memory (tests and in-memory round trips); the same bytes <see cref="Write(string, VideoFeatures)"/> writes.</summary>
    public static byte[] Encode(VideoFeatures features)
    {
        var bytes = new byte[checked(HeaderSize + 4 * (features.Values.Length + features.Extra.Length) + HashSize)];
        using var stream = new MemoryStream(bytes, writable: true);
        Write(stream, features);
        return bytes;
    }

    private static void Write(Stream stream, VideoFeatures features)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], features.FrameCount);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], features.FeatureSize);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], features.ExtraChannels);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        stream.Write(header);
        // .NET runs little-endian on every supported platform, so the floats' memory is already the file's byte order.
        WriteHashed(stream, MemoryMarshal.AsBytes(features.Values.AsSpan()), hash);
        WriteHashed(stream, MemoryMarshal.AsBytes(features.Extra.AsSpan()), hash);
        Span<byte> digest = stackalloc byte[HashSize];
        hash.GetHashAndReset(digest);
        stream.Write(digest);
    }

    /// <summary>Writes <paramref name="source"/> a megabyte at a time, hashing each piece as it goes.</summary>
    private static void WriteHashed(Stream stream, ReadOnlySpan<byte> source, IncrementalHash hash)
    {
        const int Piece = 1 << 20;
        for (var offset = 0; offset < source.Length; offset += Piece)
        {
            var piece = source.Slice(offset, Math.Min(Piece, source.Length - offset));
            hash.AppendData(piece);
            stream.Write(piece);
        }
    }

    /// <summary>Returns the file's features, or null when it is missing, unreadable, damaged or of another shape than expected.</summary>
    /// <remarks>The floats are read straight into the returned arrays and hashed as they arrive: no copy of the whole file.</remarks>
    public static VideoFeatures? TryRead(string path, int frameCount, int featureSize, int extraChannels)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            return Read(stream, frameCount, featureSize, extraChannels);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Returns whether the file holds intact features of T, D and C as given (the checks of <see cref="TryRead"/>), reading and
    /// hashing it a megabyte at a time: no whole-video array, so checking a long video's file costs no memory.
    /// </summary>
    public static bool IsIntact(string path, int frameCount, int featureSize, int extraChannels)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            long payload = HeaderSize + 4 * ((long)frameCount * featureSize + (long)frameCount * extraChannels);
            Span<byte> header = stackalloc byte[HeaderSize];
            if (stream.Length != payload + HashSize || stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) != HeaderSize
                || !IsHeader(header, frameCount, featureSize, extraChannels))
            {
                return false;
            }
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(header);
            var piece = new byte[(int)Math.Min(1 << 20, payload - HeaderSize)];
            for (var left = payload - HeaderSize; left > 0;)
            {
                var part = piece.AsSpan(0, (int)Math.Min(piece.Length, left));
                if (stream.ReadAtLeast(part, part.Length, throwOnEndOfStream: false) != part.Length)
                {
                    return false;
                }
                hash.AppendData(part);
                left -= part.Length;
            }
            Span<byte> stored = stackalloc byte[HashSize];
            Span<byte> actual = stackalloc byte[HashSize];
            if (stream.ReadAtLeast(stored, HashSize, throwOnEndOfStream: false) != HashSize)
            {
                return false;
            }
            hash.GetHashAndReset(actual);
            return actual.SequenceEqual(stored);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static VideoFeatures? Decode(byte[] bytes, int frameCount, int featureSize, int extraChannels)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream, frameCount, featureSize, extraChannels);
    }

    private static VideoFeatures? Read(Stream stream, int frameCount, int featureSize, int extraChannels)
    {
        long valueCount = (long)frameCount * featureSize;
        long extraCount = (long)frameCount * extraChannels;
        var payload = HeaderSize + 4 * (valueCount + extraCount);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (stream.Length != payload + HashSize || stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) != HeaderSize
            || !IsHeader(header, frameCount, featureSize, extraChannels))
        {
            return null;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        // Every float is overwritten by the file's bytes, so the arrays need not be zeroed first.
        var values = GC.AllocateUninitializedArray<float>(checked((int)valueCount));
        var extra = GC.AllocateUninitializedArray<float>(checked((int)extraCount));
        if (!ReadHashed(stream, MemoryMarshal.AsBytes(values.AsSpan()), hash) || !ReadHashed(stream, MemoryMarshal.AsBytes(extra.AsSpan()), hash))
        {
            return null;
        }
        Span<byte> stored = stackalloc byte[HashSize];
        Span<byte> actual = stackalloc byte[HashSize];
        if (stream.ReadAtLeast(stored, HashSize, throwOnEndOfStream: false) != HashSize)
        {
            return null;
        }
        hash.GetHashAndReset(actual);
        return actual.SequenceEqual(stored) ? new VideoFeatures(frameCount, featureSize, values, extraChannels, extra) : null;
    }

    /// <summary>Whether <paramref name="header"/> is this format's header for a file of T, D and C as given.</summary>
    public static bool IsHeader(ReadOnlySpan<byte> header, int frameCount, int featureSize, int extraChannels) =>
        header[..Magic.Length].SequenceEqual(Magic)
        && BinaryPrimitives.ReadInt32LittleEndian(header[8..]) == FormatVersion
        && BinaryPrimitives.ReadInt32LittleEndian(header[12..]) == frameCount
        && BinaryPrimitives.ReadInt32LittleEndian(header[16..]) == featureSize
        && BinaryPrimitives.ReadInt32LittleEndian(header[20..]) == extraChannels;

    /// <summary>Fills <paramref name="target"/> from the stream a megabyte at a time, hashing each piece while it is still in the CPU's cache; false if the stream ends first.</summary>
    private static bool ReadHashed(Stream stream, Span<byte> target, IncrementalHash hash)
    {
        const int Piece = 1 << 20;
        for (var offset = 0; offset < target.Length;)
        {
            var piece = target.Slice(offset, Math.Min(Piece, target.Length - offset));
            if (stream.ReadAtLeast(piece, piece.Length, throwOnEndOfStream: false) != piece.Length)
            {
                return false;
            }
            hash.AppendData(piece);
            offset += piece.Length;
        }
        return true;
    }
}
