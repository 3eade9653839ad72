using System.Text.Json;

namespace Signet.Testing.Images;

/// <summary>
/// The images that scripts/build-test-images.sh builds outside the checkout, reached through <c>SIGNET_TEST_IMAGES</c>
/// (scripts/test.sh exports it). A test that needs them fails, never skips, with a message naming the script when the
/// variable is unset. docs/test-images.md says what each image contains.
/// </summary>
public static class TestImages
{
    public const string Variable = "SIGNET_TEST_IMAGES";

    /// <summary>The cache directory <c>&lt;root&gt;/&lt;key&gt;</c> that holds summary.json; fails the test when it is missing.</summary>
    public static string RequireRoot() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root && File.Exists(System.IO.Path.Combine(root, "summary.json"))
            ? System.IO.Path.GetFullPath(root)
            : throw new InvalidOperationException(
                $"{Variable} is not set or has no summary.json: run through scripts/test.sh or, as root, export {Variable}=$(scripts/build-test-images.sh | tail -n 1)");

    /// <summary>The transport reference summary.json records for the image <paramref name="name"/> (e.g. <c>contents</c>).</summary>
    public static string Reference(string name) => Reference(RequireRoot(), name);

    internal static string Reference(string root, string name)
    {
        var summary = System.IO.Path.Combine(root, "summary.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(summary));
        foreach (var image in document.RootElement.GetProperty("images").EnumerateArray())
        {
            if (image.GetProperty("name").GetString() == name)
            {
                return image.GetProperty("reference").GetString()
                    ?? throw new InvalidOperationException($"{summary}: image '{name}' has a null reference");
            }
        }

        throw new InvalidOperationException($"{summary} lists no image '{name}': the images were built by an older scripts/build-test-images.sh; run it again");
    }

    /// <summary>The contents image and the ground truth recorded next to it.</summary>
    public static ContentsImage Contents() => new(RequireRoot());
}

/// <summary>One line of <c>dpkg-query -W -f='${Package}\t${Version}\t${Architecture}\n'</c>.</summary>
public sealed record DpkgEntry(string Package, string Version, string Architecture);

/// <summary>
/// The 5-layer <c>contents</c> image (minbase; apt packages; npm packages in /opt/app; a .NET app in /app; a dpkg purge
/// and an npm package directory deleted) in three forms, with the truth the build recorded in <c>&lt;key&gt;/contents/</c>.
/// </summary>
public sealed class ContentsImage
{
    internal ContentsImage(string root)
    {
        Root = root;
        TruthDirectory = System.IO.Path.Combine(root, "contents");
        if (!File.Exists(ExpectedJsonPath))
        {
            throw new InvalidOperationException(
                $"{ExpectedJsonPath} is missing: {TestImages.Variable}={root} was built before the contents image existed; run scripts/build-test-images.sh again");
        }
    }

    /// <summary>The cache directory <c>&lt;root&gt;/&lt;key&gt;</c>.</summary>
    public string Root { get; }

    /// <summary><c>&lt;key&gt;/contents</c>: the ground-truth files and the final root filesystem.</summary>
    public string TruthDirectory { get; }

    /// <summary><c>oci:&lt;key&gt;/oci:contents</c>.</summary>
    public string OciReference => TestImages.Reference(Root, "contents");

    /// <summary><c>docker-archive:&lt;key&gt;/archives/contents.docker.tar:lab/contents:v1</c>.</summary>
    public string DockerArchiveReference => TestImages.Reference(Root, "contents-docker-archive");

    /// <summary>The docker-archive tar itself (for peers that take a file, such as cdxgen).</summary>
    public string DockerArchivePath => System.IO.Path.Combine(Root, "archives", "contents.docker.tar");

    /// <summary><c>dir:&lt;key&gt;/contents/rootfs</c>: the final root filesystem as umoci unpacks it.</summary>
    public string RootfsReference => TestImages.Reference(Root, "contents-rootfs");

    /// <summary>The final root filesystem directory.</summary>
    public string RootfsPath => System.IO.Path.Combine(TruthDirectory, "rootfs");

    /// <summary>
    /// expected.json: the purged Debian package and the whited-out npm package (name, version, layer), the npm prefix
    /// and lockfile, the Python metadata directories, the Go binaries with their build info, the .NET app and its NuGet
    /// package, and the names of the other truth files.
    /// </summary>
    public string ExpectedJsonPath => System.IO.Path.Combine(TruthDirectory, "expected.json");

    /// <summary>dpkg-query of the final root filesystem.</summary>
    public string DpkgQueryPath => System.IO.Path.Combine(TruthDirectory, "dpkg-query.tsv");

    /// <summary>dpkg-query after layer 2, before the purge of layer 5.</summary>
    public string DpkgQueryLayer2Path => System.IO.Path.Combine(TruthDirectory, "dpkg-query.l2.tsv");

    /// <summary><c>npm ls --all --json</c> of the final /opt/app (it reports the whited-out package as missing).</summary>
    public string NpmLsPath => System.IO.Path.Combine(TruthDirectory, "npm-ls.json");

    /// <summary><c>npm ls --all --json</c> of /opt/app after layer 3, before the whiteout.</summary>
    public string NpmLsLayer3Path => System.IO.Path.Combine(TruthDirectory, "npm-ls.l3.json");

    /// <summary>expected.json, parsed.</summary>
    public JsonElement Expected()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(ExpectedJsonPath));
        return document.RootElement.Clone();
    }

    /// <summary>The Debian packages of the final root filesystem.</summary>
    public IReadOnlyList<DpkgEntry> DpkgPackages() => ReadDpkg(DpkgQueryPath);

    /// <summary>The Debian packages after layer 2 (they include the one layer 5 purges).</summary>
    public IReadOnlyList<DpkgEntry> DpkgPackagesLayer2() => ReadDpkg(DpkgQueryLayer2Path);

    private static List<DpkgEntry> ReadDpkg(string path) =>
        File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t') is [var package, var version, var architecture]
                ? new DpkgEntry(package, version, architecture)
                : throw new InvalidOperationException($"{path}: '{line}' is not PACKAGE<TAB>VERSION<TAB>ARCHITECTURE"))
            .ToList();
}
