using System.Diagnostics;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// A pseudo-terminal of a given size and TERM, driven as a person would: tmux runs the command on its own server
/// (a socket of this test's), keys go in with send-keys, the screen comes out with capture-pane. The command's exit
/// code is printed as "EXIT=N" after it, and the pane stays open so the screen after the exit can be read too.
/// </summary>
internal sealed class TmuxTerminal : IDisposable
{
    private readonly string _socket = "rk-tui-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _tmux = ExternalTool.Require("tmux", "tmux");

    public TmuxTerminal(string term, string command, int width = 80, int height = 24)
    {
        // No terminfo anywhere the program could look: the UI must draw and read keys without one.
        Tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", width.ToString(), "-y", height.ToString(),
            $"env TERM={term} TERMINFO=/nonexistent TERMINFO_DIRS=/nonexistent {command}; echo EXIT=$?; sleep 600");
    }

    /// <summary>The screen as it is now, one string per row.</summary>
    public string Screen() => Tmux("capture-pane", "-t", "t", "-p");

    public void Send(params string[] keys)
    {
        foreach (var key in keys)
        {
            Tmux(["send-keys", "-t", "t", key]);
            Thread.Sleep(300);
        }
    }

    /// <summary>Types <paramref name="text"/> as it is (no key names).</summary>
    public void Type(string text)
    {
        Tmux("send-keys", "-t", "t", "-l", text);
        Thread.Sleep(300);
    }

    /// <summary>Waits for <paramref name="text"/> on the screen; fails with the screen when it does not come.</summary>
    public string WaitFor(string text, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        string screen;
        do
        {
            screen = Screen();
            if (screen.Contains(text, StringComparison.Ordinal)) return screen;
            Thread.Sleep(200);
        } while (DateTime.UtcNow < until);
        Assert.Fail($"'{text}' did not appear on the terminal within {seconds} s. The screen:\n{screen}");
        return screen;
    }

    /// <summary>The exit code the command printed once it ended.</summary>
    public int ExitCode(int seconds = 20)
    {
        var screen = WaitFor("EXIT=", seconds);
        var at = screen.LastIndexOf("EXIT=", StringComparison.Ordinal) + 5;
        return int.Parse(new string(screen[at..].TakeWhile(char.IsDigit).ToArray()));
    }

    private string Tmux(params string[] args)
    {
        var psi = new ProcessStartInfo(_tmux) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-L");
        psi.ArgumentList.Add(_socket);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) Assert.Fail($"tmux {string.Join(' ', args)} failed: {error}");
        return output;
    }

    public void Dispose()
    {
        // What the pane runs goes with it, even when a failed test left it waiting for a key; then the server. Neither
        // may fail the test (an assertion here would count even if caught): the server ends by itself with its pane.
        var panes = Quietly("list-panes", "-a", "-F", "#{pane_pid}");
        foreach (var pid in panes.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            ExternalTool.Run("pkill", "procps", ["-KILL", "-g", pid.Trim()]);
        Quietly("kill-server");
    }

    private string Quietly(params string[] args)
    {
        var psi = new ProcessStartInfo(_tmux) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-L", _socket, .. args]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : "";
    }
}
