using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Signet.Scanning.Catalogers.Npm;

/// <summary>
/// The first document of a YAML file as plain values: a scalar is a <see cref="string"/>, a mapping a
/// <see cref="Dictionary{TKey, TValue}"/> (string keys, first occurrence kept; a mapping or sequence used as a key
/// makes the document invalid), a sequence a <see cref="List{T}"/>. Built from YamlDotNet's event parser without
/// recursion; nesting is bounded and aliases are not expanded (they read as null), so hostile input cannot exhaust the
/// stack or memory.
/// </summary>
internal static class YamlTree
{
    /// <summary>Deeper than any lockfile.</summary>
    public const int MaxDepth = 64;

    private static readonly Dictionary<string, object?> Empty = [];

    /// <summary>The root value, or null with the reason when the text is not YAML within the bounds.</summary>
    public static object? TryRead(byte[] bytes, out string? error)
    {
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var parser = new Parser(new StringReader(Encoding.UTF8.GetString(bytes, start, bytes.Length - start)));
        var open = new Stack<(object Container, string? Key)>();
        string? pendingKey = null;
        object? root = null;
        try
        {
            while (parser.MoveNext())
            {
                object? value;
                switch (parser.Current)
                {
                    case Scalar scalar:
                        value = scalar.Value;
                        break;
                    case AnchorAlias:
                        value = null;
                        break;
                    case MappingStart or SequenceStart:
                        if (open.Count == MaxDepth || (open.TryPeek(out var top) && top.Container is Dictionary<string, object?> && pendingKey is null))
                        {
                            error = open.Count == MaxDepth ? $"it nests deeper than {MaxDepth} levels" : "it has a mapping key that is not a scalar";
                            return null;
                        }

                        open.Push((parser.Current is MappingStart ? new Dictionary<string, object?>(StringComparer.Ordinal) : new List<object?>(), pendingKey));
                        pendingKey = null;
                        continue;
                    case MappingEnd or SequenceEnd:
                        (value, pendingKey) = open.Pop();
                        break;
                    case DocumentEnd when open.Count == 0:
                        error = null;
                        return root;
                    default:
                        continue;
                }

                if (!open.TryPeek(out var parent))
                {
                    root = value;
                }
                else if (parent.Container is List<object?> list)
                {
                    list.Add(value);
                }
                else if (pendingKey is null)
                {
                    pendingKey = value as string ?? string.Empty;
                }
                else
                {
                    ((Dictionary<string, object?>)parent.Container).TryAdd(pendingKey, value);
                    pendingKey = null;
                }
            }

            error = null;
            return root;
        }
        catch (Exception exception) when (exception is YamlException or InvalidOperationException)
        {
            // YamlDotNet 16.3's scanner throws InvalidOperationException on some malformed plain scalars.
            error = exception.Message;
            return null;
        }
    }

    /// <summary>The mapping under <paramref name="key"/> of <paramref name="mapping"/>; empty when absent or of another kind.</summary>
    public static IReadOnlyDictionary<string, object?> Map(object? mapping, string key) =>
        mapping is Dictionary<string, object?> map && map.TryGetValue(key, out var value) && value is Dictionary<string, object?> inner
            ? inner
            : Empty;

    /// <summary>The scalar under <paramref name="key"/>; null when absent or of another kind.</summary>
    public static string? Text(object? mapping, string key) =>
        mapping is Dictionary<string, object?> map && map.TryGetValue(key, out var value) ? value as string : null;
}
