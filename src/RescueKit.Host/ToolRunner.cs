using System.Diagnostics;
using RescueKit.Core;
using Serilog;

namespace RescueKit.Host;

/// <summary>What a finished external command gave back.</summary>
public sealed record ToolResult(IReadOnlyList<string> Argv, int ExitCode, string StandardOutput, string StandardError);

/// <summary>An external program exited non-zero (or by a signal).</summary>
public sealed class ToolFailedException(ToolResult result)
    : RescueKitException(Describe(result), ExitCodes.Failed)
{
    public ToolResult Result { get; } = result;

    private static string Describe(ToolResult r)
    {
        var tail = r.StandardError.Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
        var how = r.ExitCode > 128 ? $"was killed by signal {r.ExitCode - 128}" : $"exited with code {r.ExitCode}";
        return $"'{string.Join(' ', r.Argv)}' {how}{(tail is null ? "" : $": {tail}")}";
    }
}

/// <summary>An external program ran longer than it was given and was killed.</summary>
public sealed class ToolTimedOutException(IReadOnlyList<string> argv, TimeSpan timeout)
    : RescueKitException($"'{string.Join(' ', argv)}' did not finish in {timeout.TotalSeconds:0.#} s and was stopped", ExitCodes.Failed);

/// <summary>Runs the external tools RescueKit relies on; the one seam tests replace.</summary>
public interface IToolRunner
{
    /// <summary>Runs argv[0] with the rest as arguments; throws <see cref="ToolFailedException"/> on a non-zero exit
    /// unless the exit code is in <paramref name="allowedExitCodes"/>, <see cref="MissingPrerequisiteException"/>
    /// when the program is not installed, and <see cref="ToolTimedOutException"/> when it runs past
    /// <paramref name="timeout"/> (it is killed). <paramref name="standardInput"/> is written to its stdin, which is
    /// closed after it (at once when null). <paramref name="standardOutputLine"/> hears each line of its stdout as it
    /// comes (a step's progress), and the result still holds all of it.</summary>
    ToolResult Run(IReadOnlyList<string> argv, IReadOnlyCollection<int>? allowedExitCodes = null,
        string? workingDirectory = null, CancellationToken cancellationToken = default, string? standardInput = null,
        TimeSpan? timeout = null, Action<string>? standardOutputLine = null);

    /// <summary>The absolute path of a program on the fixed search path, or null.</summary>
    string? Find(string program);
}

/// <summary>
/// Runs a program from an argv list (never a shell string) with a fixed environment and stdin closed, logs the
/// command, its exit code and its stderr, and tells "not installed" apart from "failed".
/// </summary>
public sealed class ToolRunner(ILogger log) : IToolRunner
{
    /// <summary>The search path every tool is looked up on, whatever the caller's PATH says.</summary>
    public const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public ToolResult Run(IReadOnlyList<string> argv, IReadOnlyCollection<int>? allowedExitCodes = null,
        string? workingDirectory = null, CancellationToken cancellationToken = default, string? standardInput = null,
        TimeSpan? timeout = null, Action<string>? standardOutputLine = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        var program = Find(argv[0]) ?? throw new MissingPrerequisiteException(
            $"the program '{argv[0]}'", DebianPackages.For(argv[0]));

        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        FixEnvironment(psi);

        log.Debug("+ {Command}", string.Join(' ', argv));
        using var p = Process.Start(psi)!;
        // Both pipes are drained while stdin is written, so a tool that answers before reading all its input cannot block.
        var stdout = standardOutputLine is null
            ? p.StandardOutput.ReadToEndAsync(cancellationToken)
            : ReadLines(p.StandardOutput, standardOutputLine, cancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        void Kill() { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }
        var finished = true;
        using (cancellationToken.Register(Kill))
        {
            if (standardInput is not null)
            {
                try
                {
                    p.StandardInput.Write(standardInput);
                }
                catch (IOException)
                {
                    // It exited without reading all of it: its exit code says whether that was a failure.
                }
            }
            try { p.StandardInput.Close(); } catch (IOException) { }
            if (timeout is { } limit && !p.WaitForExit(limit))
            {
                finished = false;
                Kill();
            }
            p.WaitForExit();
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (!finished) throw new ToolTimedOutException(argv, timeout!.Value);
        var result = new ToolResult(argv, p.ExitCode, stdout.Result, stderr.Result);
        log.Debug("  exit {ExitCode}{Stderr}", result.ExitCode,
            result.StandardError.Length == 0 ? "" : ": " + result.StandardError.Trim());
        if (result.ExitCode != 0 && !(allowedExitCodes?.Contains(result.ExitCode) ?? false))
            throw new ToolFailedException(result);
        return result;
    }

    /// <summary>
    /// Runs a program on this process's own terminal (stdin, stdout and stderr inherited: a shell, a prompt) with the
    /// same fixed environment plus <paramref name="environment"/>, and returns its exit code, whatever it is.
    /// </summary>
    public int RunInteractive(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        var program = Find(argv[0]) ?? throw new MissingPrerequisiteException($"the program '{argv[0]}'", DebianPackages.For(argv[0]));
        var psi = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        FixEnvironment(psi);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        log.Debug("+ {Command} (on the terminal)", string.Join(' ', argv));
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        log.Debug("  exit {ExitCode}", p.ExitCode);
        return p.ExitCode;
    }

    private static void FixEnvironment(ProcessStartInfo psi)
    {
        psi.Environment.Clear();
        psi.Environment["PATH"] = SearchPath;
        psi.Environment["LANG"] = "C.UTF-8";
        psi.Environment["LC_ALL"] = "C.UTF-8";
        psi.Environment["HOME"] = "/root";
        // Keep SOURCE_DATE_EPOCH so tools that honour it stay reproducible with us.
        var sde = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (sde is not null) psi.Environment["SOURCE_DATE_EPOCH"] = sde;
    }

    private static async Task<string> ReadLines(StreamReader reader, Action<string> onLine, CancellationToken cancellationToken)
    {
        var all = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            all.Append(line).Append('\n');
            onLine(line);
        }
        return all.ToString();
    }

    public string? Find(string program)
    {
        if (program.Contains('/')) return File.Exists(program) ? program : null;
        foreach (var dir in SearchPath.Split(':'))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
