using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace Signet.Scanning.Tests.Catalogers.Binaries;

/// <summary>
/// Real ELF files for the binary catalogers' tests, made by real tools in the test: binutils <c>objcopy</c> adds a
/// section to a copy of <c>/bin/true</c> or wraps bytes into a relocatable ELF of another class and byte order, and
/// <c>gcc</c> compiles C programs whose data lay out build information as the Go linker does.
/// </summary>
internal static class ElfTools
{
    /// <summary>A real, small executable of the machine.</summary>
    public const string BaseExecutable = "/bin/true";

    /// <summary>The 16-byte sentinels framing Go module information (cmd/go modload infoStart, infoEnd).</summary>
    public static readonly byte[] InfoStart = [0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02, 0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6];

    public static readonly byte[] InfoEnd = [0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72, 0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2];

    public static readonly byte[] Magic = [0xff, .. " Go buildinf:"u8];

    public static byte[] TestData(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Catalogers", "Binaries", "testdata", name));

    /// <summary>A copy of <see cref="BaseExecutable"/> with the sections added by <c>objcopy --add-section</c>.</summary>
    public static byte[] WithSections(params (string Name, byte[] Content)[] sections)
    {
        using var directory = new TempDirectory();
        var arguments = new List<string>();
        foreach (var (name, content) in sections)
        {
            var file = directory.Write(name.TrimStart('.') + ".bin", content);
            arguments.AddRange(["--add-section", $"{name}={file}"]);
        }

        var output = Path.Combine(directory.Path, "out");
        Run("objcopy", [.. arguments, BaseExecutable, output]);
        return File.ReadAllBytes(output);
    }

    /// <summary>A relocatable ELF of BFD target <paramref name="target"/> (elf32-big...) whose only section <paramref name="name"/> holds <paramref name="content"/>.</summary>
    public static byte[] Relocatable(string target, string name, byte[] content)
    {
        using var directory = new TempDirectory();
        var input = directory.Write("content.bin", content);
        var output = Path.Combine(directory.Path, "out.o");
        Run("objcopy", ["-I", "binary", "-O", target, "--rename-section", $".data={name}", input, output]);
        return File.ReadAllBytes(output);
    }

    /// <summary>A non-PIE executable compiled by gcc from <paramref name="source"/>.</summary>
    public static byte[] Compile(string source)
    {
        using var directory = new TempDirectory();
        var input = directory.Write("program.c", Encoding.UTF8.GetBytes(source));
        var output = Path.Combine(directory.Path, "program");
        Run("gcc", ["-O0", "-no-pie", "-o", output, input]);
        return File.ReadAllBytes(output);
    }

    /// <summary>A C string literal of any bytes (octal escapes, which never run into the next character).</summary>
    public static string CLiteral(byte[] bytes)
    {
        var builder = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            builder.Append(b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)' ' or (byte)'.' or (byte)'/' ? ((char)b).ToString() : $"\\{Convert.ToString(b, 8).PadLeft(3, '0')}");
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A Go 1.18+ build information blob: header, then the version and the framed module text as varint strings.</summary>
    public static byte[] InlineBlob(string version, string modInfo, bool framed = true)
    {
        var blob = new List<byte>(Magic) { 8, 2 };
        blob.AddRange(new byte[16]);
        AddVarintString(blob, Encoding.UTF8.GetBytes(version));
        AddVarintString(blob, framed ? [.. InfoStart, .. Encoding.UTF8.GetBytes(modInfo), .. InfoEnd] : Encoding.UTF8.GetBytes(modInfo));
        return [.. blob];
    }

    /// <summary>The zlib stream (RFC 1950) of <paramref name="content"/>, as cargo-auditable writes <c>.dep-v0</c>.</summary>
    public static byte[] Zlib(byte[] content)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(content);
        }

        return output.ToArray();
    }

    private static void AddVarintString(List<byte> blob, byte[] value)
    {
        var length = (ulong)value.Length;
        while (length >= 0x80)
        {
            blob.Add((byte)(length | 0x80));
            length >>= 7;
        }

        blob.Add((byte)length);
        blob.AddRange(value);
    }

    private static void Run(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}");
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("signet-elf-");

        public string Path => _directory.FullName;

        public string Write(string name, byte[] content)
        {
            var path = System.IO.Path.Combine(Path, name);
            File.WriteAllBytes(path, content);
            return path;
        }

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
