namespace Signet.Sigstore.Tuf;

/// <summary>
/// Delegation path patterns as python-tuf matches them: the pattern and the target path are split at <c>/</c>, must have
/// the same number of segments, and each segment matches shell-style (<c>*</c> any run of characters, <c>?</c> one
/// character, <c>[abc]</c> / <c>[!abc]</c> / <c>[a-z]</c> a set); so <c>*</c> never crosses a <c>/</c>.
/// </summary>
internal static class PathPattern
{
    public static bool Matches(string pattern, string targetPath)
    {
        var patternParts = pattern.Split('/');
        var pathParts = targetPath.Split('/');
        if (patternParts.Length != pathParts.Length)
        {
            return false;
        }

        for (var i = 0; i < patternParts.Length; i++)
        {
            if (!Segment(patternParts[i], pathParts[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Two-pointer wildcard match: on a mismatch, the last <c>*</c> absorbs one more character. O(pattern x text), no
    /// recursion, so a hostile pattern cannot blow up.
    /// </summary>
    private static bool Segment(string pattern, string text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = ++p;
                starT = t;
            }
            else if (p < pattern.Length && Single(pattern, p, text[t], out var next))
            {
                p = next;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Whether the one-character token at <paramref name="p"/> (<c>?</c>, a set, a literal) matches <paramref name="c"/>.</summary>
    private static bool Single(string pattern, int p, char c, out int next)
    {
        if (pattern[p] == '?')
        {
            next = p + 1;
            return true;
        }

        if (pattern[p] == '[' && SetEnd(pattern, p) is var end && end > 0)
        {
            next = end + 1;
            return InSet(pattern.AsSpan(p + 1, end - p - 1), c);
        }

        next = p + 1;
        return pattern[p] == c;
    }

    /// <summary>The index of the <c>]</c> closing the set opened at <paramref name="open"/>, or -1 (then <c>[</c> is literal).</summary>
    private static int SetEnd(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] == '!')
        {
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        return pattern.IndexOf(']', i);
    }

    private static bool InSet(ReadOnlySpan<char> set, char c)
    {
        var negate = set.Length > 0 && set[0] == '!';
        if (negate)
        {
            set = set[1..];
        }

        var found = false;
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                found |= c >= set[i] && c <= set[i + 2];
                i += 2;
            }
            else
            {
                found |= c == set[i];
            }
        }

        return found != negate;
    }
}
