namespace Signet.Scanning.FileSystem;

/// <summary>
/// Resolves a path inside a root as a process chrooted into it would: symbolic links are followed (the last
/// component too), an absolute target restarts at the root and '..' at the root stays there, so no link leads
/// outside. Shared by the image's layered filesystem and directory trees.
/// </summary>
internal static class PathResolver
{
    /// <summary>
    /// The resolved path ('/'-joined, no leading '/'), or null when a component does not exist, a non-final component
    /// is not a directory, the path is the root itself, or more than <paramref name="maxLinkHops"/> links were followed.
    /// </summary>
    /// <param name="path">The path to resolve, leading '/' optional.</param>
    /// <param name="lookup">The type and link target of an exact path, or null when there is none.</param>
    /// <param name="maxLinkHops">The most links followed (a loop guard).</param>
    public static string? Resolve(string path, Func<string, (FileEntryType Type, string? LinkTarget)?> lookup, int maxLinkHops)
    {
        var remaining = new Stack<string>(path.Split('/').Reverse());
        var resolved = new List<string>();
        var hops = 0;
        while (remaining.Count > 0)
        {
            var component = remaining.Pop();
            if (component is "" or ".")
            {
                continue;
            }

            if (component == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            resolved.Add(component);
            if (lookup(string.Join('/', resolved)) is not { } current)
            {
                return null;
            }

            if (current.Type == FileEntryType.SymbolicLink)
            {
                if (++hops > maxLinkHops)
                {
                    return null;
                }

                resolved.RemoveAt(resolved.Count - 1);
                var target = current.LinkTarget ?? string.Empty;
                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var part in target.Split('/').Reverse())
                {
                    remaining.Push(part);
                }

                continue;
            }

            if (remaining.Count > 0 && current.Type != FileEntryType.Directory && remaining.Any(p => p is not ("" or ".")))
            {
                return null;
            }
        }

        return resolved.Count > 0 ? string.Join('/', resolved) : null;
    }
}
