using System.Text;
using System.Text.Json.Nodes;

namespace Signet.Cli.Tests.Commands;

/// <summary>
/// Each integrity code of docs/error-codes.md, produced by a real fault in a copy of the demo layout and seen through
/// <c>signet verify-integrity --output json</c>: exit 1, exactly one failed object, with that code.
/// </summary>
public sealed class IntegrityCodeTests(DemoImageFixture demo) : IClassFixture<DemoImageFixture>, IDisposable
{
    private readonly CliRunner _cli = new();

    public static TheoryData<string, string, string> Faults => new()
    {
        { "INT1001", "flip-layer-bit", "layer" },
        { "INT1002", "truncate-layer", "layer" },
        { "INT1003", "wrong-diff-id", "layer" },
        { "INT1004", "delete-layer", "layer" },
        { "INT1005", "config-not-json", "config" },
        { "INT1006", "drop-diff-id", "config" },
        { "INT1007", "layer-not-gzip", "layer" },
        { "INT1008", "unknown-layer-media-type", "layer" },
        { "INT1010", "index-without-host-platform", "index" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task VerifyIntegrity_Fault_ExitsOneWithItsCode(string code, string fault, string kind)
    {
        var editor = new LayoutEditor(demo.CopyLayoutDirectory());
        Apply(editor, fault);

        var result = await _cli.RunAsync("verify-integrity", $"oci:{editor.Directory}:demo", "--output", "json");

        result.AssertExit(ExitCodes.VerificationFailed);
        using var json = result.Json();
        var failed = Assert.Single(json.RootElement.GetProperty("objects").EnumerateArray(), o => !o.GetProperty("passed").GetBoolean());
        Assert.True(code == failed.GetProperty("code").GetString(), result.ToString());
        Assert.Equal(kind, failed.GetProperty("kind").GetString());
        Assert.False(string.IsNullOrWhiteSpace(failed.GetProperty("message").GetString()));
    }

    private void Apply(LayoutEditor editor, string fault)
    {
        var gzipLayer = demo.Layers[0];
        switch (fault)
        {
            case "flip-layer-bit":
                DemoImageFixture.FlipBit(editor.BlobFile(gzipLayer));
                break;
            case "truncate-layer":
                var bytes = File.ReadAllBytes(editor.BlobFile(gzipLayer));
                File.WriteAllBytes(editor.BlobFile(gzipLayer), bytes[..^10]);
                break;
            case "wrong-diff-id":
                var config = editor.Config;
                config["rootfs"]!["diff_ids"]![0] = "sha256:" + new string('0', 64);
                editor.SetConfig(config);
                break;
            case "delete-layer":
                File.Delete(editor.BlobFile(gzipLayer));
                break;
            case "config-not-json":
                editor.SetConfig(Encoding.UTF8.GetBytes("{\"architecture\": \"amd64\", "));
                break;
            case "drop-diff-id":
                var shorter = editor.Config;
                ((JsonArray)shorter["rootfs"]!["diff_ids"]!).RemoveAt(2);
                editor.SetConfig(shorter);
                break;
            case "layer-not-gzip":
                editor.SetLayer(0, Encoding.UTF8.GetBytes("this is not a gzip stream, but its digest is right"));
                break;
            case "unknown-layer-media-type":
                var manifest = editor.Manifest;
                manifest["layers"]![0]!["mediaType"] = "application/vnd.example.layer.v1.tar+lz4";
                editor.SetManifest(manifest);
                break;
            case "index-without-host-platform":
                editor.WrapInIndex("linux", "s390x");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault");
        }
    }

    public void Dispose() => _cli.Dispose();
}
