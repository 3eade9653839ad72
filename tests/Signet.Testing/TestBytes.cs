namespace Signet.Testing;

/// <summary>Deterministic test bytes, and reading a stream to its end (so a verifying stream completes its check).</summary>
public static class TestBytes
{
    public static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Compressible but not trivial: words from a small vocabulary.</summary>
    public static byte[] Text(int length, int seed)
    {
        var random = new Random(seed);
        string[] words = ["layer", "manifest", "digest", "sha256", "blob", "index", "config", "tar", "zstd", "gzip", "\n"];
        var builder = new System.Text.StringBuilder(length + 16);
        while (builder.Length < length)
        {
            builder.Append(words[random.Next(words.Length)]).Append(' ');
        }

        return System.Text.Encoding.ASCII.GetBytes(builder.ToString(0, length));
    }

    public static byte[] ReadAll(Stream stream, int bufferSize = 81920)
    {
        using var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream, int bufferSize = 81920)
    {
        using var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }
}
