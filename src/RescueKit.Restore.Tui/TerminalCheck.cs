namespace RescueKit.Restore.Tui;

/// <summary>
/// Whether the terminal UI can run here. Without a terminal on both ends, Terminal.Gui waits for input that never comes
/// (it hangs rather than fails), and TERM=dumb cannot position a cursor; unattended there is no one to look. In all of
/// those the restore runs with plain lines instead.
/// </summary>
public static class TerminalCheck
{
    /// <summary>Why the terminal UI cannot run, or null when it can.</summary>
    public static string? WhyPlain(bool unattended, string? term = null, bool? inputRedirected = null, bool? outputRedirected = null)
    {
        term ??= Environment.GetEnvironmentVariable("TERM");
        if (unattended) return "the restore is unattended";
        if (inputRedirected ?? Console.IsInputRedirected) return "standard input is not a terminal";
        if (outputRedirected ?? Console.IsOutputRedirected) return "standard output is not a terminal";
        if (string.IsNullOrEmpty(term) || term == "dumb") return $"the terminal type is {(string.IsNullOrEmpty(term) ? "not set" : "'dumb'")} (TERM)";
        return null;
    }
}
