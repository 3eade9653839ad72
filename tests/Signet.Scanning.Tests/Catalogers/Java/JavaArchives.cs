using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Signet.Scanning.Tests.Catalogers.Java;

/// <summary>The committed real jars, and zips written by <see cref="ZipArchive"/> for the cases no real jar shows.</summary>
internal static class JavaArchives
{
    public static byte[] Real(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Catalogers", "Java", "testdata", name));

    public static byte[] Zip(params (string Name, byte[] Data)[] entries) => Zip(CompressionLevel.Optimal, entries);

    public static byte[] Zip(CompressionLevel level, params (string Name, byte[] Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                var entry = zip.CreateEntry(name, level);
                using var stream = entry.Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }

    public static (string, byte[]) Text(string name, string text) => (name, Encoding.UTF8.GetBytes(text));

    public static (string, byte[]) Manifest(string text) => Text("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n" + text);

    public static (string, byte[]) Pom(string group, string artifact, string version) =>
        Text($"META-INF/maven/{group}/{artifact}/pom.properties", $"#Created by Apache Maven\ngroupId={group}\nartifactId={artifact}\nversion={version}\n");

    /// <summary>Rewrites the uncompressed size the central directory (and the local header) declare for <paramref name="entryName"/>.</summary>
    public static byte[] DeclareSize(byte[] zip, string entryName, uint size)
    {
        var copy = (byte[])zip.Clone();
        var name = Encoding.UTF8.GetBytes(entryName);
        for (var at = 0; at + 46 <= copy.Length; at++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(at));
            if (signature == 0x04034b50 && copy.AsSpan(at + 30).StartsWith(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at + 22), size);
            }
            else if (signature == 0x02014b50 && copy.AsSpan(at + 46).StartsWith(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at + 24), size);
            }
        }

        return copy;
    }

    /// <summary>Rewrites the central directory size the end-of-central-directory record declares.</summary>
    public static byte[] DeclareDirectorySize(byte[] zip, uint size)
    {
        var copy = (byte[])zip.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 22 + 12), size);
        return copy;
    }
}
