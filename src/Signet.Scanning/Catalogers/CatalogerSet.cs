namespace Signet.Scanning.Catalogers;

/// <summary>The catalogers Signet runs.</summary>
public static class CatalogerSet
{
    /// <summary>Every cataloger, OS package databases first. Each decides from the scan kind whether it applies.</summary>
    public static IReadOnlyList<ICataloger> Default { get; } = [];
}
