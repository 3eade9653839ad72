namespace Signet.Scanning.Catalogers.Java;

/// <summary>
/// <c>META-INF/maven/&lt;groupId&gt;/&lt;artifactId&gt;/pom.properties</c> as Maven writes it: a Java properties file
/// (<c>key=value</c>, <c>key:value</c> or <c>key value</c>; <c>#</c>/<c>!</c> comments; a trailing backslash continues a line).
/// </summary>
internal sealed record PomProperties(string? GroupId, string? ArtifactId, string? Version)
{
    /// <summary>Reads the three coordinates; never throws.</summary>
    public static PomProperties Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var logical = string.Empty;
        foreach (var raw in text.Split(["\r\n", "\n", "\r"], StringSplitOptions.None))
        {
            var line = logical.Length > 0 ? logical + raw.TrimStart() : raw.TrimStart();
            if (logical.Length == 0 && (line.StartsWith('#') || line.StartsWith('!')))
            {
                continue;
            }

            if (EndsWithContinuation(line))
            {
                logical = line[..^1];
                continue;
            }

            logical = string.Empty;
            var separator = line.IndexOfAny(['=', ':', ' ', '\t']);
            if (separator <= 0)
            {
                continue;
            }

            var key = line[..separator];
            var value = line[(separator + 1)..].TrimStart(' ', '\t', '=', ':').Trim();
            values.TryAdd(key, value);
        }

        return new PomProperties(Value(values, "groupId"), Value(values, "artifactId"), Value(values, "version"));
    }

    private static string? Value(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private static bool EndsWithContinuation(string line)
    {
        var backslashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }
}
