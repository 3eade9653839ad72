using Signet.Images.Integrity;
using Spectre.Console;

namespace Signet.Cli.Output;

/// <summary>Tables for people, on stdout.</summary>
internal static class TableOutput
{
    public static void Write(IntegrityReport report)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("object").AddColumn("digest").AddColumn(new TableColumn("size").RightAligned()).AddColumn("platform").AddColumn("result");
        foreach (var check in report.Objects.OrderBy(o => o.Parent?.ToString(), StringComparer.Ordinal).ThenBy(o => o.Kind).ThenBy(o => o.Position).ThenBy(o => o.Digest?.ToString(), StringComparer.Ordinal))
        {
            table.AddRow(
                check.Kind.ToString().ToLowerInvariant(),
                Markup.Escape(check.Digest?.ToString() ?? "-"),
                check.Size is { } size ? Terminal.Bytes(size) : "-",
                Markup.Escape(check.Platform ?? "-"),
                check.Passed ? "[green]ok[/]" : $"[red]{check.Code}[/]");
        }

        Terminal.Out.Write(table);
        foreach (var failure in report.Failures)
        {
            var what = failure.Digest is { } digest ? $"{failure.Kind.ToString().ToLowerInvariant()} {digest}" : failure.Kind.ToString().ToLowerInvariant();
            Terminal.Line($"[red]{failure.Code}[/] {Markup.Escape(what)}: {Markup.Escape(failure.Message ?? string.Empty)}");
        }

        var rate = report.Elapsed.TotalSeconds > 0 ? report.BytesRead / report.Elapsed.TotalSeconds : 0;
        var verdict = report.Passed ? "[green]integrity verified[/]" : $"[red]integrity check FAILED: {report.Failures.Count()} of {report.Objects.Length} objects[/]";
        var root = report.RootDigest is { } rootDigest ? $" {rootDigest}" : string.Empty;
        Terminal.Line(
            $"{verdict}: {Markup.Escape(report.Image)}{root}, " +
            $"{report.Objects.Length} objects, {Terminal.Bytes(report.BytesRead)} read, {Terminal.Bytes(report.BytesUncompressed)} uncompressed, " +
            $"{report.Elapsed.TotalSeconds:0.00} s ({Terminal.Bytes((long)rate)}/s)");
    }
}
