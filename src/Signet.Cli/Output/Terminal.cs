using Signet.Images;
using Spectre.Console;

namespace Signet.Cli.Output;

/// <summary>Console streams: results on stdout, progress and messages on stderr.</summary>
internal static class Terminal
{
    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>A console that writes plain, unwrapped text when redirected (files, pipes, CI logs) and colours on a terminal.</summary>
    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = 4096;
        }

        return console;
    }

    /// <summary>
    /// Writes one line of markup to stdout. Redirected output gets the plain text on one line, however long: Spectre
    /// would wrap it at the console width, splitting messages and digests that scripts grep for.
    /// </summary>
    public static void Line(string markup)
    {
        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine(Markup.Remove(markup));
        }
        else
        {
            Out.MarkupLine(markup);
        }
    }

    /// <summary>True when progress can be drawn (stderr is an interactive terminal).</summary>
    public static bool Interactive => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>Runs <paramref name="work"/> while drawing a byte progress bar with rate on stderr when interactive.</summary>
    public static async Task<T> WithProgressAsync<T>(string label, TransferProgress progress, Func<Task<T>> work)
    {
        if (!Interactive)
        {
            return await work().ConfigureAwait(false);
        }

        return await Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: 1);
                var running = work();
                while (!running.IsCompleted)
                {
                    task.MaxValue = Math.Max(1, progress.TotalBytes);
                    task.Value = Math.Min(progress.DoneBytes, task.MaxValue);
                    await Task.WhenAny(running, Task.Delay(100)).ConfigureAwait(false);
                }

                task.Value = task.MaxValue;
                return await running.ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };
}
