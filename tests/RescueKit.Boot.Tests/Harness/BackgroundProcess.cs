using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// A server a boot test runs beside its VM (`rescuekit serve`, dnsmasq), optionally inside a network namespace
/// (`ip netns exec`, which execs the program, so the process started is the server itself). Its stdout and stderr are
/// collected as one log, copied to a file in the test's work directory; Dispose sends SIGTERM, waits, and kills
/// what is left, so no server outlives its test.
/// </summary>
public sealed class BackgroundProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly object _gate = new();
    private readonly StreamWriter _logWriter;
    private bool _exited;

    private BackgroundProcess(string name, Process process, string logFile)
    {
        Name = name;
        _process = process;
        LogFile = logFile;
        _logWriter = new StreamWriter(logFile, append: false, new UTF8Encoding(false)) { AutoFlush = true };
    }

    public string Name { get; }

    /// <summary>The file the log is copied to (attached to the test).</summary>
    public string LogFile { get; }

    /// <summary>Everything the process printed so far, stdout and stderr interleaved by line.</summary>
    public string Log
    {
        get { lock (_gate) return _log.ToString(); }
    }

    /// <summary>Starts <paramref name="program"/> with <paramref name="args"/>, inside <paramref name="networkNamespace"/> when given.</summary>
    public static BackgroundProcess Start(string name, string program, IEnumerable<string> args, string? networkNamespace = null)
    {
        var argv = args.ToList();
        var psi = networkNamespace is null
            ? new ProcessStartInfo(program)
            : new ProcessStartInfo(RescueKit.Tests.Shared.ExternalTool.Require("ip", "iproute2"));
        if (networkNamespace is not null)
            foreach (var a in new[] { "netns", "exec", networkNamespace, program }) psi.ArgumentList.Add(a);
        foreach (var a in argv) psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        var logFile = Path.Combine(TestContext.CurrentContext.WorkDirectory, "serial",
            $"{TestContext.CurrentContext.Test.Name}-{name}.log".Replace('/', '_'));
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var server = new BackgroundProcess(name, process, logFile);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Exited += (_, _) =>
        {
            lock (server._gate)
            {
                server._exited = true;
                Monitor.PulseAll(server._gate);
            }
        };
        server._logWriter.WriteLine($"# {psi.FileName} {string.Join(' ', psi.ArgumentList)}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until the log has a line matching <paramref name="pattern"/>; fails the test with the log when the
    /// process ends first or the time runs out.</summary>
    public Match WaitForLog(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                var match = pattern.Match(_log.ToString());
                if (match.Success) return match;
                if (_exited)
                {
                    // The exit event can come before the last lines of output: let them arrive.
                    Monitor.Exit(_gate);
                    try { _process.WaitForExit(); }
                    finally { Monitor.Enter(_gate); }
                    match = pattern.Match(_log.ToString());
                    if (match.Success) return match;
                    Assert.Fail($"{Name} exited with code {_process.ExitCode} before /{pattern}/ appeared:\n{_log}");
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) Assert.Fail($"{Name}: /{pattern}/ did not appear within {timeout.TotalSeconds:0} s:\n{_log}");
                Monitor.Wait(_gate, left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Stops the process with SIGTERM (a clean stop: serve writes its last line) and returns its exit code.</summary>
    public int Stop(TimeSpan timeout)
    {
        if (!_process.HasExited)
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                kill.WaitForExit();
        if (!_process.WaitForExit(timeout)) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            Stop(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        _process.Dispose();
        lock (_gate) _logWriter.Dispose();
        if (TestContext.CurrentContext.Test.ID is not null) TestContext.AddTestAttachment(LogFile, $"log of {Name}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _log.Append(line).Append('\n');
            _logWriter.WriteLine(line);
            Monitor.PulseAll(_gate);
        }
    }
}
