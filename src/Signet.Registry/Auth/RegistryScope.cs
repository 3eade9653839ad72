using System.Collections.Immutable;

namespace Signet.Registry.Auth;

/// <summary>
/// Token scopes (distribution <c>scope.md</c>): <c>resourcetype:resourcename:action[,action...]</c>, for example
/// <c>repository:library/alpine:pull,push</c>.
/// </summary>
public static class RegistryScope
{
    /// <summary>The scope to read a repository.</summary>
    public static string Pull(string repository) => Repository(repository, "pull");

    /// <summary>The scope to write a repository (pushing also needs pull).</summary>
    public static string PullPush(string repository) => Repository(repository, "pull", "push");

    /// <summary><c>repository:NAME:ACTIONS</c> with the actions sorted and de-duplicated.</summary>
    public static string Repository(string repository, params IEnumerable<string> actions)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(actions);
        var sorted = actions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (sorted.Length == 0 || repository.Contains(' ', StringComparison.Ordinal) || sorted.Any(a => a.Length == 0 || a.Contains(',', StringComparison.Ordinal) || a.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"cannot build a scope from repository '{repository}' and actions [{string.Join(", ", sorted)}]; a repository has no spaces and at least one action such as 'pull' is needed");
        }

        return $"repository:{repository}:{string.Join(',', sorted)}";
    }
}

/// <summary>A set of scopes with the actions of equal resources merged; its string form is canonical (sorted).</summary>
internal sealed class ScopeSet : IEquatable<ScopeSet>
{
    internal const int MaxScopeChars = 1024;

    private readonly ImmutableSortedDictionary<string, ImmutableSortedSet<string>> _resources;

    private ScopeSet(ImmutableSortedDictionary<string, ImmutableSortedSet<string>> resources)
    {
        _resources = resources;
        Scopes = [.. resources.Select(r => $"{r.Key}:{string.Join(',', r.Value)}")];
        Key = string.Join(' ', Scopes);
    }

    public static ScopeSet Empty { get; } = new(ImmutableSortedDictionary.Create<string, ImmutableSortedSet<string>>(StringComparer.Ordinal));

    /// <summary>The canonical scope strings, one per resource, sorted.</summary>
    public ImmutableArray<string> Scopes { get; }

    /// <summary>The scopes joined by spaces; equal sets have equal keys.</summary>
    public string Key { get; }

    public bool IsEmpty => _resources.IsEmpty;

    /// <summary>Parses space-separated scopes (as in a challenge's <c>scope</c> parameter).</summary>
    /// <exception cref="FormatException">A scope is not <c>type:name:actions</c>.</exception>
    public static ScopeSet Parse(string? scopes)
    {
        var set = Empty;
        if (string.IsNullOrWhiteSpace(scopes))
        {
            return set;
        }

        if (scopes.Length > MaxScopeChars)
        {
            throw new FormatException($"scope is {scopes.Length} characters, more than the {MaxScopeChars} limit");
        }

        var builder = set._resources.ToBuilder();
        foreach (var scope in scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var firstColon = scope.IndexOf(':', StringComparison.Ordinal);
            var lastColon = scope.LastIndexOf(':');
            if (firstColon <= 0 || lastColon == firstColon || lastColon == scope.Length - 1 || lastColon == firstColon + 1)
            {
                throw new FormatException($"'{scope}' is not a scope; expected resourcetype:resourcename:action[,action] such as 'repository:library/alpine:pull'");
            }

            var resource = scope[..lastColon];
            var actions = scope[(lastColon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (actions.Length == 0)
            {
                throw new FormatException($"scope '{scope}' has no actions; expected for example 'repository:library/alpine:pull'");
            }

            builder[resource] = builder.TryGetValue(resource, out var existing)
                ? existing.Union(actions)
                : ImmutableSortedSet.CreateRange(StringComparer.Ordinal, actions);
        }

        return new ScopeSet(builder.ToImmutable());
    }

    /// <summary>The union: equal resources get the union of their actions.</summary>
    public ScopeSet Union(ScopeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var builder = _resources.ToBuilder();
        foreach (var (resource, actions) in other._resources)
        {
            builder[resource] = builder.TryGetValue(resource, out var existing) ? existing.Union(actions) : actions;
        }

        return new ScopeSet(builder.ToImmutable());
    }

    /// <summary>True when every action of every resource of <paramref name="other"/> is in this set (<c>*</c> covers all).</summary>
    public bool Covers(ScopeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (resource, actions) in other._resources)
        {
            if (!_resources.TryGetValue(resource, out var mine) || (!mine.Contains("*") && !mine.IsSupersetOf(actions)))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(ScopeSet? other) => other is not null && Key == other.Key;

    public override bool Equals(object? obj) => Equals(obj as ScopeSet);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public override string ToString() => IsEmpty ? "(no scope)" : Key;
}
