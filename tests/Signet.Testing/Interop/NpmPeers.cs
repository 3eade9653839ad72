using System.Diagnostics;
using System.Text.Json;

namespace Signet.Testing.Interop;

/// <summary>What one run of a sigstore-js script printed.</summary>
public sealed record NodeResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The script's one JSON line.</summary>
    public JsonElement Json
    {
        get
        {
            var line = Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                ?? throw new InvalidOperationException($"the node script printed nothing on stdout; stderr:\n{Stderr}");
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
    }

    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The pinned sigstore-js packages that <c>scripts/install-npm-peers.sh</c> installs outside the checkout, reached
/// through <c>SIGNET_NPM_PEERS</c> (scripts/test.sh exports it). A test that needs them fails, never skips, with a
/// message naming the script when the variable is unset.
/// </summary>
public static class NpmPeers
{
    public const string Variable = "SIGNET_NPM_PEERS";

    /// <summary>The node_modules folder; fails the test when the packages are not installed.</summary>
    public static string RequireNodeModules() => RequireNodeModules("@sigstore/verify");

    /// <summary>The node_modules folder holding <paramref name="package"/> (one of the pinned packages); fails the test when it is not installed.</summary>
    public static string RequireNodeModules(string package)
    {
        var root = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(root))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: this test runs sigstore-js with node; run scripts/install-npm-peers.sh and export {Variable}=<the directory it prints last> (scripts/test.sh does both)");
        }

        var modules = Path.Combine(root, "node_modules");
        return File.Exists(Path.Combine([modules, .. package.Split('/'), "package.json"]))
            ? modules
            : throw new InvalidOperationException($"{Variable}={root} holds no {package}; run scripts/install-npm-peers.sh again and export the directory it prints");
    }

    /// <summary>Runs <c>node SCRIPT ARGS</c> with NODE_PATH set to the pinned packages.</summary>
    public static async Task<NodeResult> RunAsync(string script, params string[] arguments)
    {
        var modules = RequireNodeModules();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NODE_PATH"] = modules;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node is not installed; the sigstore-js interop tests need Node 20+ (apt-get install -y nodejs npm) and scripts/install-npm-peers.sh", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(deadline.Token);
            return new NodeResult(process.ExitCode, await stdout, await stderr);
        }
    }
}
