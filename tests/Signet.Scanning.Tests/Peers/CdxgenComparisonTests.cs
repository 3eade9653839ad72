using System.Diagnostics;
using System.Text.Json;
using Signet.Images.Transports;
using Signet.Registry;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Trees;
using Signet.Testing.Images;
using Signet.Testing.Interop;

namespace Signet.Scanning.Tests.Peers;

/// <summary>
/// Signet's catalog engine and cdxgen (SIGNET_CDXGEN) on the same contents docker-archive: every purl that only one
/// of them reports falls in a category explained in docs/sbom-comparison.md, and cdxgen reports the npm minimist@1.2.5
/// that layer 5 whites out while Signet does not. purls are compared without qualifiers and subpath, with %40 decoded
/// and in lower case, as bench/sbom-compare.sh does.
/// </summary>
public sealed class CdxgenComparisonTests
{
    private const string WhitedOutMinimist = "pkg:npm/minimist@1.2.5";

    [Fact]
    public async Task Compare_ContentsArchive_EveryDifferenceIsExplained()
    {
        var cdxgen = Cdxgen.RequireExecutable();
        var contents = TestImages.Contents();
        var signet = await SignetPurlsAsync(contents.DockerArchiveReference);
        var peer = await CdxgenComponentsAsync(cdxgen, contents.DockerArchivePath);

        Assert.Contains(WhitedOutMinimist, peer.Keys);
        Assert.DoesNotContain(WhitedOutMinimist, signet);
        var unexplained = peer.Where(c => !signet.Contains(c.Key) && CdxgenOnlyCategory(c.Key, c.Value) is null)
            .Select(c => $"cdxgen only: {c.Key}")
            .Concat(signet.Where(p => !peer.ContainsKey(p) && SignetOnlyCategory(p) is null).Select(p => $"signet only: {p}"))
            .ToList();
        Assert.True(unexplained.Count == 0, "differences outside the categories of docs/sbom-comparison.md:\n" + string.Join('\n', unexplained));
        Assert.Contains(peer.Keys, p => p.StartsWith("pkg:deb/", StringComparison.Ordinal) && signet.Contains(p));
        Assert.Contains(peer.Keys, p => p.StartsWith("pkg:npm/", StringComparison.Ordinal) && signet.Contains(p));
    }

    private static string? CdxgenOnlyCategory(string purl, CdxgenComponent component) => purl switch
    {
        _ when purl.StartsWith("pkg:generic/", StringComparison.Ordinal) => "cdxgen-file-component",
        _ when purl.StartsWith("pkg:golang/stdlib@", StringComparison.Ordinal) => "cdxgen-go-stdlib",
        _ when purl.StartsWith("pkg:deb/", StringComparison.Ordinal) && !component.FromTrivyPackageDatabase => "cdxgen-deb-source-package",
        WhitedOutMinimist => "cdxgen-ignores-whiteout",
        _ when purl.StartsWith("pkg:npm/", StringComparison.Ordinal) && component.SourceFile == "/opt/app/package.json" => "cdxgen-app-root-package",
        _ => null,
    };

    private static string? SignetOnlyCategory(string purl) => purl switch
    {
        _ when purl.StartsWith("pkg:nuget/", StringComparison.Ordinal) => "signet-dotnet-deps",
        _ when purl.StartsWith("pkg:pypi/", StringComparison.Ordinal) => "signet-python-installed-metadata",
        _ when purl.StartsWith("pkg:golang/", StringComparison.Ordinal) && !purl.Contains('@', StringComparison.Ordinal) => "signet-go-main-package-without-version",
        _ => null,
    };

    private static string Normalise(string purl)
    {
        var end = purl.IndexOfAny(['?', '#']);
        return (end < 0 ? purl : purl[..end]).Replace("%40", "@", StringComparison.Ordinal).ToLowerInvariant();
    }

    private static async Task<HashSet<string>> SignetPurlsAsync(string reference)
    {
        using var transports = new ImageTransports(() => new RegistryClient(new RegistryClientOptions { MaxAttempts = 1 }));
        var source = await transports.OpenSourceAsync(ImageName.Parse(reference));
        await using var owned = source;
        var image = await ImageFileSystem.OpenImageAsync(source);
        var scan = await CatalogEngine.ScanAsync(new ImageFileTree(image.FileSystem, reference), ScanKind.Image);
        return [.. scan.Packages.Where(p => p.Purl is not null).Select(p => Normalise(p.Purl!.ToString()))];
    }

    private sealed record CdxgenComponent(bool FromTrivyPackageDatabase, string? SourceFile);

    private static async Task<Dictionary<string, CdxgenComponent>> CdxgenComponentsAsync(string cdxgen, string archive)
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("signet-cdxgen-").FullName, "bom.json");
        try
        {
            var start = new ProcessStartInfo(cdxgen) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-t", "docker", archive, "--spec-version", "1.6", "-o", output })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["FETCH_LICENSE"] = "false";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0 && File.Exists(output), $"cdxgen -t docker {archive} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");

            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(output));
            var components = new Dictionary<string, CdxgenComponent>(StringComparer.Ordinal);
            foreach (var component in Flatten(document.RootElement))
            {
                if (!component.TryGetProperty("purl", out var purl) || purl.GetString() is not { } text)
                {
                    continue;
                }

                var properties = component.TryGetProperty("properties", out var list) ? list.EnumerateArray().ToList() : [];
                components.TryAdd(Normalise(text), new CdxgenComponent(
                    properties.Any(p => p.GetProperty("name").GetString() == "aquasecurity:trivy:PkgID"),
                    properties.Where(p => p.GetProperty("name").GetString() == "SrcFile").Select(p => p.GetProperty("value").GetString()).FirstOrDefault()));
            }

            return components;
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement parent)
    {
        if (!parent.TryGetProperty("components", out var components))
        {
            yield break;
        }

        foreach (var component in components.EnumerateArray())
        {
            yield return component;
            foreach (var nested in Flatten(component))
            {
                yield return nested;
            }
        }
    }
}
