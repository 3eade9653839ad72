using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;

namespace Signet.Cli.Tests;

/// <summary>What one run of the CLI produced.</summary>
public sealed record CliResult(int ExitCode, byte[] StdoutBytes, string Stderr, string CommandLine)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    /// <summary>Everything the run printed, for assertion messages.</summary>
    public override string ToString() => $"$ {CommandLine}\nexit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the real, built CLI (<c>dotnet signet.dll ...</c> from this test assembly's output folder, where the project
/// reference copies it) as a child process with a timeout, its own home directory and Docker config, and captured
/// stdout (bytes), stderr and exit code. Standard input is closed after <c>stdin</c> is written, so nothing waits on it.
/// </summary>
public sealed class CliRunner : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private readonly ImmutableDictionary<string, string?> _environment;

    /// <param name="home">The child's HOME; a fresh temporary directory (deleted on dispose) when null.</param>
    public CliRunner(string? home = null)
    {
        if (home is null)
        {
            home = Directory.CreateTempSubdirectory("signet-cli-home-").FullName;
            OwnsHome = true;
        }

        Home = home;
        _environment = ImmutableDictionary<string, string?>.Empty
            .Add("HOME", Home)
            .Add("DOCKER_CONFIG", DockerConfigDirectory)
            .Add("XDG_CONFIG_HOME", Path.Combine(Home, ".config"))
            .Add("XDG_RUNTIME_DIR", Path.Combine(Home, "run"))
            .Add("REGISTRY_AUTH_FILE", null)
            .Add("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .Add("DOTNET_NOLOGO", "1");
    }

    /// <summary>The child's home directory.</summary>
    public string Home { get; }

    /// <summary>The child's DOCKER_CONFIG directory (it holds config.json after a login).</summary>
    public string DockerConfigDirectory => Path.Combine(Home, "docker-config");

    private bool OwnsHome { get; }

    /// <summary>The signet.dll that the tests run.</summary>
    public static string SignetDll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "signet.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"signet.dll is not next to the test assembly in {AppContext.BaseDirectory}; build tests/Signet.Cli.Tests (it references src/Signet.Cli)", path);
        }
    }

    /// <summary>The dotnet host that runs this test process (DOTNET_HOST_PATH under dotnet test), else dotnet on PATH.</summary>
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    public async Task<CliResult> RunAsync(IReadOnlyList<string> args, string? stdin, TimeSpan? timeout = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Home,
        };
        start.ArgumentList.Add(SignetDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _environment.SetItems(environment ?? ImmutableDictionary<string, string?>.Empty))
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var commandLine = "signet " + string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Length == 0 ? $"'{a}'" : a));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {DotnetHost}");
        var stdout = new MemoryStream();
        var readOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{commandLine} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0} s; stderr so far:\n{await readErr}");
        }

        await readOut;
        return new CliResult(process.ExitCode, stdout.ToArray(), await readErr, commandLine);
    }

    public void Dispose()
    {
        if (OwnsHome && Directory.Exists(Home))
        {
            Directory.Delete(Home, recursive: true);
        }
    }
}
