using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>
/// Assigns videos to shards by a hash that every process and machine computes alike (string.GetHashCode is
/// randomised per process, so it cannot be used).
/// </summary>
internal static class FeatureCacheShards
{
    /// <summary>Returns the first 8 bytes of SHA-256(UTF-8 of <paramref name="videoId"/>) as a big-endian unsigned integer, modulo <paramref name="shardCount"/>.</summary>
    public static int ShardOf(string videoId, int shardCount)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(videoId), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)shardCount);
    }
}
