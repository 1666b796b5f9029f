using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using RescueKit.Core;
using Spectre.Console;

namespace RescueKit.Restore;

/// <summary>
/// `rescuekit selftest`: inside the booted rescue system, checks that every tool the medium carries actually runs (its
/// libraries resolve), that modprobe finds the modules of the running kernel, and that OpenSSL-backed hashing works.
/// </summary>
public sealed class SelfTest(IAnsiConsole console, RescueEnvironment environment)
{
    /// <summary>The loader's message when a shared library is missing: the one failure "it runs" must rule out.</summary>
    private const string LoaderError = "error while loading shared libraries";

    public int Run()
    {
        var failures = new List<string>();
        void Report(string check, string? problem)
        {
            if (problem is null) console.MarkupLineInterpolated($"  ok    {check}");
            else
            {
                console.MarkupLineInterpolated($"  [red]FAIL[/]  {check}: {problem}");
                failures.Add(check);
            }
        }

        var tools = environment.Tools();
        if (tools.Count == 0) Report("tools.list", $"{environment.ToolsList} is missing or empty (is this a rescue system?)");
        foreach (var (name, path) in tools)
            Report(name, CheckRuns(name, Path.Combine(environment.Root, path.TrimStart('/'))));

        Report("kernel modules", CheckModules());
        // init waited for it before the self-test: still there, the drivers kept on the medium never finished loading.
        Report("drivers kept on the medium", File.Exists(environment.DevicesPending)
            ? $"still loading ({environment.DevicesPending} exists; see /run/rescuekit/init.log)"
            : null);
        Report("sha256 (OpenSSL)", CheckHashing());

        if (failures.Count == 0)
        {
            console.WriteLine("RescueKit selftest: PASS");
            return ExitCodes.Ok;
        }
        console.WriteLine($"RescueKit selftest: FAIL ({string.Join(", ", failures)})");
        return ExitCodes.CheckFailed;
    }

    /// <summary>Runs the tool with --version: any exit below 126 proves the loader resolved it; a loader error does not.</summary>
    internal static string? CheckRuns(string name, string path)
    {
        if (!File.Exists(path)) return $"{path} is missing";
        string[] args = name switch
        {
            "busybox" => ["--help"],
            "lvm" => ["version"],
            _ => ["--version"],
        };
        try
        {
            var (code, output) = Execute(path, args);
            if (output.Contains(LoaderError, StringComparison.Ordinal)) return output.Trim().Split('\n')[0];
            if (code >= 126) return $"exit code {code}";
            return null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return e.Message;
        }
    }

    private string? CheckModules()
    {
        var release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : null;
        if (release is null) return "/proc is not mounted";
        var dir = Path.Combine(environment.Root, "lib/modules", release);
        if (!File.Exists(Path.Combine(dir, "modules.dep"))) return $"no modules.dep for the running kernel {release}";
        if (environment.Tools().All(t => t.Name != "kmod")) return "kmod is not in the rescue system";
        var (code, output) = Execute(Path.Combine(environment.Root, "usr/sbin/modprobe"), ["--dry-run", "isofs"]);
        return code == 0 ? null : $"modprobe --dry-run isofs failed: {output.Trim()}";
    }

    private static string? CheckHashing()
    {
        try
        {
            // FIPS 180-2 appendix B.1 test vector.
            var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("abc")));
            return hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" ? null : $"wrong digest {hex}";
        }
        catch (Exception e) when (e is CryptographicException or DllNotFoundException or TypeInitializationException)
        {
            return e.Message;
        }
    }

    private static (int Code, string Output) Execute(string path, string[] args)
    {
        var psi = new ProcessStartInfo(path, args)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill(entireProcessTree: true);
            return (124, "timed out after 30 s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
