using System.Security.Cryptography;

namespace InverseLearning.Serving.Models.Repository;

/// <summary>A file's SHA-256 (lower-case hex) and length.</summary>
public readonly record struct FileDigest(string Sha256, long Bytes)
{
    public static FileDigest Of(ReadOnlySpan<byte> bytes) => new(Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
}
