using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Sage.MLNet.Data;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>
/// Reads one <c>.features</c> file (see <see cref="FeatureCacheFile"/>) a frame range at a time, so training holds clips,
/// never the whole video. The SHA-256 is still checked on every read of the file: ranges are hashed as they first arrive
/// (clips come in ascending order, overlapping), frames no range covered are read and hashed by <see cref="Complete"/>,
/// which then compares the digest and throws for a damaged file.
/// </summary>
internal sealed class FeatureCacheRangeReader : IFrameRangeReader
{
    private const int Piece = 1 << 20;
    private readonly string _path;
    private readonly SafeFileHandle _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _storedHash = new byte[FeatureCacheFile.HashSize];
    private int _hashedFrames;
    private bool _completed;

    private FeatureCacheRangeReader(string path, SafeFileHandle file, int frames, int width, float[] extra)
    {
        _path = path;
        _file = file;
        Frames = frames;
        Width = width;
        Extra = extra;
    }

    public int Frames { get; }

    public int Width { get; }

    /// <summary>The file's extra channels, [C, T] channel-major (faces: FaceFound), read whole when the file is opened; checked by <see cref="Complete"/>.</summary>
    public float[] Extra { get; }

    /// <summary>
    /// Opens <paramref name="path"/>, or returns null when it is missing or not a features file of T, D and C as given (a cache
    /// miss: the caller computes the features, as a whole read would); throws an <see cref="InvalidDataException"/> naming it
    /// when it cannot be read. Damage within the floats shows only when <see cref="Complete"/> compares the hash.
    /// </summary>
    public static FeatureCacheRangeReader? TryOpen(string path, int frameCount, int featureSize, int extraChannels)
    {
        SafeFileHandle? file = null;
        FeatureCacheRangeReader? reader = null;
        try
        {
            try
            {
                file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            long values = (long)frameCount * featureSize, extraCount = (long)frameCount * extraChannels;
            var expected = FeatureCacheFile.HeaderSize + 4 * (values + extraCount) + FeatureCacheFile.HashSize;
            Span<byte> header = stackalloc byte[FeatureCacheFile.HeaderSize];
            if (RandomAccess.GetLength(file) != expected || RandomAccess.Read(file, header, 0) != header.Length
                || !FeatureCacheFile.IsHeader(header, frameCount, featureSize, extraChannels))
            {
                file.Dispose();
                return null;
            }
            var extra = new float[checked((int)extraCount)];
            var extraOffset = FeatureCacheFile.HeaderSize + 4 * values;
            reader = new FeatureCacheRangeReader(path, file, frameCount, featureSize, extra);
            reader.ReadExactly(MemoryMarshal.AsBytes(extra.AsSpan()), extraOffset);
            reader.ReadExactly(reader._storedHash, extraOffset + 4 * extraCount);
            reader._hash.AppendData(header);
            return reader;
        }
        catch (Exception e)
        {
            reader?.Dispose();
            file?.Dispose();
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidDataException($"feature cache file '{path}' cannot be read: {e.Message}", e);
            }
            throw;
        }
    }

    public void Read(int start, Span<float> target)
    {
        var count = target.Length / Width;
        if (start < 0 || count < 0 || start + count > Frames || target.Length % Width != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"frames {start} … {start + count - 1} are not all within the {Frames} frames of '{_path}'");
        }
        HashUpTo(start);
        var bytes = MemoryMarshal.AsBytes(target);
        ReadExactly(bytes, FrameOffset(start));
        if (start + count > _hashedFrames)
        {
            _hash.AppendData(bytes[((_hashedFrames - start) * Width * 4)..]);
            _hashedFrames = start + count;
        }
    }

    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        HashUpTo(Frames);
        _hash.AppendData(MemoryMarshal.AsBytes(Extra.AsSpan()));
        Span<byte> actual = stackalloc byte[FeatureCacheFile.HashSize];
        _hash.GetHashAndReset(actual);
        _completed = true;
        if (!actual.SequenceEqual(_storedHash))
        {
            throw Damaged(_path, "its SHA-256 does not match its contents");
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _hash.Dispose();
    }

    /// <summary>Reads and hashes the frames between the last hashed one and <paramref name="frame"/>, a megabyte at a time, when no range covered them.</summary>
    private void HashUpTo(int frame)
    {
        if (_hashedFrames >= frame)
        {
            return;
        }
        var scratch = new byte[Math.Min(Piece, (long)(frame - _hashedFrames) * Width * 4)];
        for (long offset = FrameOffset(_hashedFrames), end = FrameOffset(frame); offset < end;)
        {
            var piece = scratch.AsSpan(0, (int)Math.Min(scratch.Length, end - offset));
            ReadExactly(piece, offset);
            _hash.AppendData(piece);
            offset += piece.Length;
        }
        _hashedFrames = frame;
    }

    private long FrameOffset(int frame) => FeatureCacheFile.HeaderSize + 4L * frame * Width;

    private void ReadExactly(Span<byte> target, long offset)
    {
        while (target.Length > 0)
        {
            var read = RandomAccess.Read(_file, target, offset);
            if (read == 0)
            {
                throw Damaged(_path, "it ended early");
            }
            target = target[read..];
            offset += read;
        }
    }

    private static InvalidDataException Damaged(string path, string why) =>
        new($"feature cache file '{path}' is damaged or foreign: {why}; delete it so that the featuriser computes it again");
}
