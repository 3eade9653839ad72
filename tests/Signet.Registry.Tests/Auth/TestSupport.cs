using System.Text;
using System.Text.RegularExpressions;
using Signet.Registry.Auth;
using Signet.Testing;

namespace Signet.Registry.Tests.Auth;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

internal static class AuthTestData
{
    public static string Base64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    /// <summary>Writes a file; each <c>@user:password@</c> in the content becomes its base64 (a config.json <c>auth</c>).</summary>
    public static string Write(this TempDir temp, string relativePath, string content)
    {
        var full = temp.Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, Regex.Replace(content, "@([^@\"]*)@", m => Base64(m.Groups[1].Value)));
        return full;
    }

    /// <summary>
    /// Writes <c>docker-credential-test</c>, a docker-credential-helpers protocol implementation in sh that keeps one file
    /// per server URL under <c>BIN/store</c> and appends each action to <c>BIN/calls.log</c>.
    /// </summary>
    public static string WriteTestHelper(string binDirectory, string name = "test")
    {
        Directory.CreateDirectory(binDirectory);
        var script = System.IO.Path.Combine(binDirectory, "docker-credential-" + name);
        File.WriteAllText(script, """
            #!/bin/sh
            # docker-credential-helpers protocol: action in $1, request on stdin, answer on stdout.
            here=$(dirname "$0")
            store="$here/store"
            mkdir -p "$store"
            input=$(cat)
            echo "$1" >>"$here/calls.log"
            key() { printf %s "$1" | tr '/:' '__'; }
            case "$1" in
              get)
                f="$store/$(key "$input")"
                if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
              store)
                url=$(printf %s "$input" | sed -n 's/.*"ServerURL":"\([^"]*\)".*/\1/p')
                printf %s "$input" >"$store/$(key "$url")" ;;
              erase)
                f="$store/$(key "$input")"
                if [ -f "$f" ]; then rm "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
              *) echo "unknown action $1" >&2; exit 2 ;;
            esac

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return script;
    }

    /// <summary>The file <see cref="WriteTestHelper"/> keeps a server URL's credential in.</summary>
    public static string HelperStoreFile(string binDirectory, string serverUrl)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(binDirectory, "store"));
        return System.IO.Path.Combine(binDirectory, "store", serverUrl.Replace('/', '_').Replace(':', '_'));
    }

    public static CredentialStoreOptions Options(TempDir temp, string? path = null) => new()
    {
        Home = temp.Combine("home"),
        // The helper directory goes first on PATH, as a user would install it; the rest of PATH gives the shell its tools.
        Path = (path ?? temp.Combine("bin")) + ":" + Environment.GetEnvironmentVariable("PATH"),
        HelperTimeout = TimeSpan.FromSeconds(10),
    };
}
