using System.Diagnostics;
using System.Text;
using Signet.Crypto;
using Signet.Crypto.Keys;
using Signet.Images.Building;
using Signet.Images.Integrity;
using Signet.Images.Transports;
using Signet.Oci;
using Signet.Oci.Archives;
using Signet.Oci.Layout;
using Signet.Signing.Signatures;
using Signet.Signing.Storage;
using Signet.Signing.Tests.TestSupport;
using Signet.Signing.Verification;
using Signet.Testing;

namespace Signet.Signing.Tests.Storage;

/// <summary>
/// Signing images in docker-archives and oci-archives: the archive is rewritten whole and renamed into place, the image
/// keeps its digest and its integrity, real skopeo still reads it, and a failure leaves the original untouched.
/// </summary>
public sealed class ArchiveSignatureStoreTests
{
    public static TheoryData<ArchiveFormat, SignatureFormat> Cases() => new()
    {
        { ArchiveFormat.Docker, SignatureFormat.Bundle },
        { ArchiveFormat.Docker, SignatureFormat.Legacy },
        { ArchiveFormat.Oci, SignatureFormat.Bundle },
        { ArchiveFormat.Oci, SignatureFormat.Legacy },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SignAsync_Archive_VerifiesAndKeepsTheImage(ArchiveFormat archive, SignatureFormat format)
    {
        using var dir = new TempDir();
        var (name, image) = await BuildArchiveAsync(dir, archive, $"{archive}-{format}");
        var path = ImageName.Parse(name).Path!;
        var original = await EntriesAsync(path);

        await SignAsync(name, TestKeys.P256, format);
        var rewritten = await EntriesAsync(path);
        var report = await VerifyAsync(name, TestKeys.P256.PublicKey);

        Assert.True(report.Passed, report.Message);
        Assert.Equal(image.Digest, report.Digest);
        var check = Assert.Single(report.Checks);
        Assert.Equal(format, check.Format);
        Assert.Equal(image.Digest, check.SignedDigest);
        await AssertIntegrityAsync(name, image.Digest);
        foreach (var (entry, content) in original.Where(e => e.Key != OciLayout.IndexFile))
        {
            Assert.Equal(content, rewritten[entry]);
        }

        Assert.NotEqual(original[OciLayout.IndexFile], rewritten[OciLayout.IndexFile]);
        Assert.True(rewritten.Count > original.Count);
        if (archive == ArchiveFormat.Docker)
        {
            Assert.Contains($"\"seed\": \"{archive}-{format}\"", await SkopeoAsync("inspect", name), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(ArchiveFormat.Docker)]
    [InlineData(ArchiveFormat.Oci)]
    public async Task SignAsync_SecondSignature_KeepsTheFirst(ArchiveFormat archive)
    {
        using var dir = new TempDir();
        var (name, image) = await BuildArchiveAsync(dir, archive, $"second-{archive}");

        await SignAsync(name, TestKeys.P256, SignatureFormat.Bundle);
        await SignAsync(name, TestKeys.OtherP256, SignatureFormat.Bundle);
        await SignAsync(name, TestKeys.P256, SignatureFormat.Legacy);
        await SignAsync(name, TestKeys.OtherP256, SignatureFormat.Legacy);
        var first = await VerifyAsync(name, TestKeys.P256.PublicKey);
        var second = await VerifyAsync(name, TestKeys.OtherP256.PublicKey);

        Assert.True(first.Passed, first.Message);
        Assert.True(second.Passed, second.Message);
        Assert.Equal(4, first.Checks.Length);
        Assert.Equal(2, first.Checks.Count(c => c.Verified));
        Assert.Equal(2, second.Checks.Count(c => c.Verified));
        Assert.Contains(first.Checks, c => c.Verified && c.Format == SignatureFormat.Bundle);
        Assert.Contains(first.Checks, c => c.Verified && c.Format == SignatureFormat.Legacy);
        await AssertIntegrityAsync(name, image.Digest);
    }

    [Theory]
    [InlineData(ArchiveFormat.Docker, SignatureFormat.Bundle)]
    [InlineData(ArchiveFormat.Oci, SignatureFormat.Legacy)]
    public async Task SignAsync_KeyThrows_LeavesArchiveByteIdentical(ArchiveFormat archive, SignatureFormat format)
    {
        using var dir = new TempDir();
        var (name, _) = await BuildArchiveAsync(dir, archive, $"throws-{archive}");
        await SignAsync(name, TestKeys.P256, SignatureFormat.Bundle);
        var path = ImageName.Parse(name).Path!;
        var before = await File.ReadAllBytesAsync(path);

        using var transports = Transports();
        await using (var target = await SignatureTarget.OpenAsync(ImageName.Parse(name), transports, signatureRepository: null, forWriting: true))
        {
            using var signer = new ThrowingSigner(TestKeys.OtherP256.PublicKey);
            await Assert.ThrowsAsync<InvalidOperationException>(() => new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format }));
        }

        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task CommitAsync_LayerCorruptMidRewrite_LeavesArchiveByteIdentical()
    {
        using var dir = new TempDir();
        var path = await LegacyDockerArchiveAsync(dir, "corrupt");
        var name = $"docker-archive:{path}";

        // Flip one byte of the last (uncompressed) layer: its digest is the config's diff_id, so opening the archive
        // does not notice; the conversion on commit streams it, verifying, and fails after writing part of the archive.
        var tar = TarIndex.Open(path, name);
        var layer = tar.Entries.Where(e => e.Type == TarIndexEntryType.File && e.Name != "manifest.json" && e.Length > 1024).MaxBy(e => e.DataOffset)!;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = layer.DataOffset + (layer.Length / 2);
            var b = file.ReadByte();
            file.Position--;
            file.WriteByte((byte)(b ^ 0xff));
        }

        var before = await File.ReadAllBytesAsync(path);
        await Assert.ThrowsAsync<DigestMismatchException>(() => SignAsync(name, TestKeys.P256, SignatureFormat.Bundle));

        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(SignatureFormat.Bundle)]
    [InlineData(SignatureFormat.Legacy)]
    public async Task SignAsync_LegacyDockerSave_ConvertsAndVerifies(SignatureFormat format)
    {
        using var dir = new TempDir();
        var path = await LegacyDockerArchiveAsync(dir, $"legacy-{format}");
        var name = $"docker-archive:{path}";
        Digest digest;
        using (var transports = Transports())
        {
            await using var source = await transports.OpenSourceAsync(ImageName.Parse(name));
            digest = (await source.GetRootManifestAsync()).Digest;
        }

        await SignAsync(name, TestKeys.P256, format);
        await SignAsync(name, TestKeys.OtherP256, format);
        var report = await VerifyAsync(name, TestKeys.P256.PublicKey);
        var other = await VerifyAsync(name, TestKeys.OtherP256.PublicKey);

        Assert.True(report.Passed, report.Message);
        Assert.True(other.Passed, other.Message);
        Assert.Equal(digest, report.Digest);
        Assert.Equal(2, report.Checks.Length);
        Assert.Equal(digest, Assert.Single(report.Checks, c => c.Verified).SignedDigest);
        var converted = TarIndex.Open(path, name);
        Assert.True(converted.TryResolve(OciLayout.LayoutFile, out _));
        Assert.True(converted.TryResolve(OciLayout.BlobPath(digest), out _));
        await AssertIntegrityAsync(name, digest);
        Assert.Contains("\"RepoTags\"", await SkopeoAsync("inspect", name), StringComparison.Ordinal);
    }

    private static async Task<(string Name, ImageManifest Image)> BuildArchiveAsync(TempDir dir, ArchiveFormat format, string seed)
    {
        var path = dir.Combine("image.tar");
        var tag = format == ArchiveFormat.Docker ? "example.test/app:v1" : "v1";
        ImageManifest image;
        await using (var destination = new ArchiveDestination(path, tag, format, path))
        {
            image = await Builder(seed).WriteAsync(destination);
        }

        return (format == ArchiveFormat.Docker ? $"docker-archive:{path}" : $"oci-archive:{path}", image);
    }

    /// <summary>A legacy docker save archive (manifest.json, no oci-layout), as skopeo writes it.</summary>
    private static async Task<string> LegacyDockerArchiveAsync(TempDir dir, string seed)
    {
        var layout = dir.Combine("layout");
        await using (var destination = new OciLayoutDestination(layout, "v1", $"oci:{layout}:v1"))
        {
            await new ImageBuilder()
                .AddLayer([new LayerFile("etc/seed", Encoding.UTF8.GetBytes(seed))], LayerCompression.Gzip, "seed")
                .AddLayer([new LayerFile("etc/big", Encoding.UTF8.GetBytes(new string('x', 8192) + seed))], LayerCompression.None, "big")
                .WriteAsync(destination);
        }

        var path = dir.Combine("legacy.tar");
        await SkopeoAsync("copy", "--quiet", $"oci:{layout}:v1", $"docker-archive:{path}:example.test/legacy:v1");
        Directory.Delete(layout, recursive: true);
        var tar = TarIndex.Open(path, path);
        Assert.False(tar.TryResolve(OciLayout.LayoutFile, out _), "skopeo wrote an OCI-style archive; the legacy case is not exercised");
        return path;
    }

    /// <summary>Every file entry of an archive with its content (the test images are small).</summary>
    private static async Task<Dictionary<string, byte[]>> EntriesAsync(string path)
    {
        var tar = TarIndex.Open(path, path);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in tar.Entries.Where(e => e.Type == TarIndexEntryType.File))
        {
            await using var stream = tar.OpenEntry(entry);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            entries[entry.Name] = buffer.ToArray();
        }

        return entries;
    }

    private static ImageBuilder Builder(string seed) =>
        new ImageBuilder()
            .AddLayer([new LayerFile("etc/seed", Encoding.UTF8.GetBytes(seed))], LayerCompression.Gzip, $"seed {seed}")
            .WithLabel("seed", seed);

    private static ImageTransports Transports() => new(SigningFixtures.Client);

    private static async Task SignAsync(string name, PrivateKey key, SignatureFormat format)
    {
        using var transports = Transports();
        await using var target = await SignatureTarget.OpenAsync(ImageName.Parse(name), transports, signatureRepository: null, forWriting: true);
        using var signer = key.CreateSigner();
        await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format });
    }

    private static async Task<VerificationReport> VerifyAsync(string name, PublicKey key)
    {
        using var transports = Transports();
        await using var target = await SignatureTarget.OpenAsync(ImageName.Parse(name), transports, signatureRepository: null, forWriting: false);
        return await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(key));
    }

    private static async Task AssertIntegrityAsync(string name, Digest digest)
    {
        using var transports = Transports();
        await using var source = await transports.OpenSourceAsync(ImageName.Parse(name));
        var report = await IntegrityVerifier.VerifyAsync(source, new IntegrityOptions { Parallelism = 2 });
        Assert.True(report.Passed, string.Join("; ", report.Failures.Select(f => f.Message)));
        Assert.Equal(digest, report.RootDigest);
    }

    private static async Task<string> SkopeoAsync(params string[] args)
    {
        var start = new ProcessStartInfo("skopeo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"skopeo {string.Join(' ', args)} failed: {await error}");
        return await output;
    }

    /// <summary>A key whose signing operation fails (a token removed mid-operation, say).</summary>
    private sealed class ThrowingSigner(PublicKey publicKey) : ISigner
    {
        public KeyAlgorithm Algorithm => publicKey.Algorithm;

        public PublicKey PublicKey => publicKey;

        public Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the key is unavailable");

        public void Dispose()
        {
        }
    }
}
