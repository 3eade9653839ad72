namespace Signet.Cli.Output;

/// <summary>How a command prints its result.</summary>
internal enum OutputFormat
{
    /// <summary>Human-readable tables on stdout.</summary>
    Table,

    /// <summary>One JSON document on stdout, for machines.</summary>
    Json,
}
