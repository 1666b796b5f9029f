using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// A running QEMU guest whose first serial port is wired to this process: read its output with
/// <see cref="WaitFor(Regex, TimeSpan)"/>, type into it with <see cref="SendLine"/>. Each wait searches from where
/// the previous match ended, so a sequence of waits also asserts the order of the output.
/// </summary>
public sealed class QemuMachine : IDisposable
{
    private const int TailLines = 60;

    private readonly List<string> _arguments;
    private readonly StringBuilder _transcript = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();
    private readonly Stopwatch _clock = new();
    private Process? _process;
    private StreamWriter? _transcriptWriter;
    private Task? _pump;
    private int _cursor;
    private bool _exited;

    private readonly string? _monitorSocket;

    internal QemuMachine(string name, string qemu, IReadOnlyList<string> arguments, string transcriptFile, string? monitorSocket = null)
    {
        _monitorSocket = monitorSocket;
        Name = name;
        Qemu = qemu;
        _arguments = [.. arguments];
        TranscriptFile = transcriptFile;
    }

    /// <summary>Starts describing a machine; <paramref name="name"/> names its transcript file.</summary>
    public static QemuMachineBuilder Create(string name) => new(name);

    public string Name { get; }

    public string Qemu { get; }

    public IReadOnlyList<string> Arguments => _arguments;

    /// <summary>Everything the guest wrote on the serial port so far, carriage returns removed.</summary>
    public string Transcript
    {
        get { lock (_gate) return _transcript.ToString(); }
    }

    /// <summary>The file the transcript is copied to as it arrives (for CI logs).</summary>
    public string TranscriptFile { get; }

    /// <summary>Time since <see cref="Start"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public bool HasExited
    {
        get { lock (_gate) return _exited; }
    }

    public QemuMachine Start()
    {
        if (_process is not null) throw new InvalidOperationException($"machine '{Name}' was already started");
        var psi = new ProcessStartInfo(Qemu)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in _arguments) psi.ArgumentList.Add(a);
        Directory.CreateDirectory(Path.GetDirectoryName(TranscriptFile)!);
        _transcriptWriter = new StreamWriter(TranscriptFile, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        _transcriptWriter.WriteLine($"# {Qemu} {string.Join(' ', _arguments)}");
        _clock.Start();
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_gate) _stderr.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();
        _pump = Task.Run(PumpSerial);
        return this;
    }

    /// <summary>Waits for the literal <paramref name="text"/> after the previous match.</summary>
    public Match WaitFor(string text, TimeSpan timeout) => WaitFor(new Regex(Regex.Escape(text)), timeout);

    /// <summary>
    /// Waits until <paramref name="pattern"/> matches the transcript after the previous match and returns the match
    /// (indices are into <see cref="Transcript"/>). Output arrives in pieces: end a pattern that captures the rest of
    /// a line with <c>\n</c>, or it may match half a line. Throws <see cref="TimeoutException"/> on timeout and
    /// <see cref="InvalidOperationException"/> when QEMU exits first, both with the last lines of the transcript.
    /// </summary>
    public Match WaitFor(Regex pattern, TimeSpan timeout)
    {
        var deadline = _clock.Elapsed + timeout;
        lock (_gate)
        {
            while (true)
            {
                var match = pattern.Match(_transcript.ToString(), _cursor);
                if (match.Success)
                {
                    _cursor = match.Index + match.Length;
                    return match;
                }
                if (_exited)
                    throw new InvalidOperationException(Describe($"QEMU exited (code {_process!.ExitCode}) before /{pattern}/ appeared"));
                var left = deadline - _clock.Elapsed;
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException(Describe($"/{pattern}/ did not appear within {timeout.TotalSeconds:0} s"));
                Monitor.Wait(_gate, left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Types <paramref name="keys"/> on the guest's serial console, with no Enter after them.</summary>
    public void Send(string keys)
    {
        var process = _process ?? throw new InvalidOperationException($"machine '{Name}' is not started");
        _transcriptWriter?.WriteLine($"# sent keys: {keys}");
        process.StandardInput.Write(keys);
        process.StandardInput.Flush();
    }

    /// <summary>Types a line on the guest's serial console, ending it with Enter (CR, as a terminal sends it).</summary>
    public void SendLine(string line)
    {
        var process = _process ?? throw new InvalidOperationException($"machine '{Name}' is not started");
        _transcriptWriter?.WriteLine($"# sent: {line}");
        process.StandardInput.Write(line + "\r");
        process.StandardInput.Flush();
    }

    /// <summary>
    /// Runs <paramref name="command"/> in the shell on the serial console and returns what it printed and its exit
    /// status. The markers are split by quotes on the typed line, so the console's echo of it cannot match them.
    /// </summary>
    public (string Output, int ExitCode) RunShell(string command, TimeSpan timeout)
    {
        SendLine($"echo RK-''BEGIN; {command}; echo RK-''RC=$?");
        var begin = WaitFor(new Regex(@"RK-BEGIN\n"), TimeSpan.FromMinutes(1));
        var end = WaitFor(new Regex(@"RK-RC=(\d+)\n"), timeout);
        var from = begin.Index + begin.Length;
        return (Transcript[from..end.Index], int.Parse(end.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Runs one command on QEMU's human monitor (the machine was built <see cref="QemuMachineBuilder.WithMonitor"/>)
    /// and returns what it answered.</summary>
    public string MonitorCommand(string command)
    {
        var path = _monitorSocket ?? throw new InvalidOperationException($"machine '{Name}' has no monitor: build it WithMonitor()");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream,
            System.Net.Sockets.ProtocolType.Unspecified);
        socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        using var stream = new System.Net.Sockets.NetworkStream(socket);
        string ReadToPrompt()
        {
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            while (!answer.ToString().EndsWith("(qemu) ", StringComparison.Ordinal))
            {
                var n = stream.Read(buffer);
                if (n == 0) break;
                answer.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            return answer.ToString();
        }
        ReadToPrompt();
        stream.Write(Encoding.UTF8.GetBytes(command + "\n"));
        var reply = ReadToPrompt();
        // The reply starts with the monitor's echo of the command, redrawn key by key: only the command is worth keeping.
        lock (_gate) _transcriptWriter?.WriteLine($"# monitor: {command}");
        return reply;
    }

    /// <summary>Waits for QEMU to end (the guest powered off or rebooted under -no-reboot) and returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException($"machine '{Name}' is not started");
        if (!process.WaitForExit(timeout))
            throw new TimeoutException(Describe($"QEMU still running after {timeout.TotalSeconds:0} s"));
        _pump?.Wait(TimeSpan.FromSeconds(5));
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (_process is { } p)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already reaped.
            }
            _pump?.Wait(TimeSpan.FromSeconds(5));
            p.Dispose();
        }
        lock (_gate)
        {
            _transcriptWriter?.Dispose();
            _transcriptWriter = null;
        }
        if (_monitorSocket is not null) File.Delete(_monitorSocket);
        if (File.Exists(TranscriptFile) && TestContext.CurrentContext.Test.ID is not null)
            TestContext.AddTestAttachment(TranscriptFile, $"serial transcript of {Name}");
    }

    private async Task PumpSerial()
    {
        var reader = _process!.StandardOutput;
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            var text = new string(buffer, 0, n).Replace("\r", "", StringComparison.Ordinal);
            lock (_gate)
            {
                _transcript.Append(text);
                _transcriptWriter?.Write(text);
                Monitor.PulseAll(_gate);
            }
        }
        await _process.WaitForExitAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _exited = true;
            _transcriptWriter?.WriteLine($"# qemu exited {_process.ExitCode} after {_clock.Elapsed.TotalSeconds:0.0} s");
            Monitor.PulseAll(_gate);
        }
    }

    // Called with _gate held.
    private string Describe(string what)
    {
        var lines = _transcript.ToString().Split('\n');
        var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - TailLines)));
        var stderr = _stderr.Length == 0 ? "" : $"\n--- qemu stderr ---\n{_stderr}";
        return $"{Name}: {what} (after {_clock.Elapsed.TotalSeconds:0.0} s; transcript {TranscriptFile})\n"
               + $"--- last {TailLines} serial lines ---\n{tail}{stderr}";
    }
}
