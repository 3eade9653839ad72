namespace Signet.Scanning.Catalogers.Python;

/// <summary>
/// The headers of Python core metadata (packaging.python.org, core-metadata: RFC 822 style headers, then an optional
/// body): repeated headers kept in order, continuation lines joined with a line break. The body is not kept.
/// </summary>
internal sealed class CoreMetadata
{
    private readonly Dictionary<string, List<string>> _headers = new(StringComparer.OrdinalIgnoreCase);

    private CoreMetadata()
    {
    }

    /// <summary>The 1-based number of the first line that is neither a header nor a continuation; 0 when none.</summary>
    public int FirstMalformedLine { get; private set; }

    public static CoreMetadata Parse(string text)
    {
        var metadata = new CoreMetadata();
        List<string>? last = null;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                break;
            }

            if (line[0] is ' ' or '\t')
            {
                if (last is not null)
                {
                    last[^1] += "\n" + line.Trim();
                    continue;
                }
            }
            else
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var key = colon > 0 ? line[..colon] : "";
                if (key.Length > 0 && !key.Any(char.IsWhiteSpace))
                {
                    if (!metadata._headers.TryGetValue(key, out last))
                    {
                        last = [];
                        metadata._headers[key] = last;
                    }

                    last.Add(line[(colon + 1)..].Trim());
                    continue;
                }
            }

            last = null;
            if (metadata.FirstMalformedLine == 0)
            {
                metadata.FirstMalformedLine = number;
            }
        }

        return metadata;
    }

    /// <summary>The first value of a header, trimmed; null when absent or empty.</summary>
    public string? First(string key) =>
        _headers.TryGetValue(key, out var values) && values[0].Trim() is { Length: > 0 } value ? value : null;

    /// <summary>Every value of a repeated header, in order.</summary>
    public IReadOnlyList<string> All(string key) => _headers.TryGetValue(key, out var values) ? values : [];
}
