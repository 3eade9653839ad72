namespace Signet.Registry.Auth;

/// <summary>
/// Bearer tokens keyed by (realm, service, scope set), each kept until shortly before it expires. A lookup for a scope
/// set is answered by any live token of the same realm and service whose scopes cover it.
/// </summary>
internal sealed class TokenCache(TimeProvider time)
{
    internal const int MaxEntries = 256;

    /// <summary>Tokens are dropped this long before they expire, so a request does not race the expiry.</summary>
    internal static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(5);

    private readonly Dictionary<(string Realm, string Service, string Scopes), BearerToken> _tokens = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _tokens.Count;
            }
        }
    }

    public void Add(string realm, string? service, BearerToken token)
    {
        lock (_lock)
        {
            RemoveExpired();
            if (_tokens.Count >= MaxEntries)
            {
                var soonest = _tokens.MinBy(e => e.Value.ExpiresAt).Key;
                _tokens.Remove(soonest);
            }

            _tokens[(realm, service ?? string.Empty, token.Scopes.Key)] = token;
        }
    }

    /// <summary>A live token for exactly <paramref name="scopes"/>, else one whose scopes cover them; null when none.</summary>
    public BearerToken? Find(string realm, string? service, ScopeSet scopes)
    {
        var svc = service ?? string.Empty;
        lock (_lock)
        {
            RemoveExpired();
            if (_tokens.TryGetValue((realm, svc, scopes.Key), out var exact))
            {
                return exact;
            }

            foreach (var ((r, s, _), token) in _tokens)
            {
                if (r == realm && s == svc && token.Scopes.Covers(scopes))
                {
                    return token;
                }
            }

            return null;
        }
    }

    public void Remove(string realm, string? service, ScopeSet scopes)
    {
        lock (_lock)
        {
            _tokens.Remove((realm, service ?? string.Empty, scopes.Key));
        }
    }

    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var key in _tokens.Where(e => e.Value.ExpiresAt - ExpiryMargin <= now).Select(e => e.Key).ToList())
        {
            _tokens.Remove(key);
        }
    }
}
