using System.Security.Cryptography;
using System.Text;
using RescueKit.Core;
using RescueKit.Host;
using Spectre.Console;

namespace RescueKit.Restore;

/// <summary>
/// `rescuekit selftest`: inside the booted rescue system, checks that every tool the medium carries actually runs (its
/// libraries resolve), that the essential modules of the medium (RK_ESSENTIAL_MODULES: its CD, disk and USB drivers
/// and its file system) load with modprobe, and that OpenSSL-backed hashing works.
/// </summary>
public sealed class SelfTest(IAnsiConsole console, RescueEnvironment environment, IToolRunner? runner = null)
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

        // Reported, not judged: a medium boots with Secure Boot on or off. Under lockdown the module checks below are
        // what proves the modules still load (their signatures intact).
        var secureBoot = SecureBootState.Of(environment);
        Report(secureBoot.Describe(), null);
        foreach (var (check, problem) in CheckModules(secureBoot.Lockdown)) Report(check, problem);
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
    internal string? CheckRuns(string name, string path)
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

    /// <summary>
    /// modprobe (for real: loading a module twice is a no-op) of each essential module, each its own check: exit 0 is
    /// not enough, the kernel must then have it (/sys/module, or modules.builtin). A medium whose modules kmod cannot
    /// read fails here by module name. Under the kernel's lockdown (Secure Boot) only modules with a valid signature
    /// load, so a failure there says so.
    /// </summary>
    private IEnumerable<(string Check, string? Problem)> CheckModules(string? lockdown)
    {
        var release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : null;
        if (release is null) { yield return ("kernel modules", "/proc is not mounted"); yield break; }
        var dir = Path.Combine(environment.Root, "lib/modules", release);
        if (!File.Exists(Path.Combine(dir, "modules.dep"))) { yield return ("kernel modules", $"no modules.dep for the running kernel {release}"); yield break; }
        if (environment.Tools().All(t => t.Name != "kmod")) { yield return ("kernel modules", "kmod is not in the rescue system"); yield break; }
        var essential = environment.Variables().GetValueOrDefault("RK_ESSENTIAL_MODULES", "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (essential.Length == 0) { yield return ("kernel modules", $"rescue.conf names no RK_ESSENTIAL_MODULES"); yield break; }
        var builtin = File.Exists(Path.Combine(dir, "modules.builtin"))
            ? File.ReadLines(Path.Combine(dir, "modules.builtin")).Select(ModuleName).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var module in essential)
        {
            var name = module.Replace('-', '_');
            var (code, output) = Execute(Path.Combine(environment.Root, "usr/sbin/modprobe"), [module]);
            string? problem = null;
            if (code != 0)
                problem = $"modprobe {module} failed: {output.Trim().Split('\n')[0]}" +
                          (lockdown is null or "none" ? "" : $" (kernel lockdown: {lockdown}: only modules with an intact signature load)");
            else if (!Directory.Exists(Path.Combine(environment.Root, "sys/module", name)) && !builtin.Contains(name))
                problem = $"modprobe {module} exited 0 but the kernel has no module {name}";
            yield return ($"module {module}", problem);
        }
    }

    /// <summary>"kernel/drivers/scsi/sr_mod.ko" → "sr_mod".</summary>
    private static string ModuleName(string path)
    {
        var file = Path.GetFileName(path);
        var ko = file.IndexOf(".ko", StringComparison.Ordinal);
        return (ko < 0 ? file : file[..ko]).Replace('-', '_');
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

    private readonly IToolRunner _runner = runner ?? new ToolRunner(Serilog.Core.Logger.None);

    /// <summary>A tool's exit code and everything it printed, through the one runner: a check wants the code, not an
    /// exception, and a tool that hangs is stopped after 30 s.</summary>
    private (int Code, string Output) Execute(string path, string[] args)
    {
        try
        {
            var r = _runner.Run([path, .. args], timeout: TimeSpan.FromSeconds(30));
            return (r.ExitCode, r.StandardOutput + r.StandardError);
        }
        catch (ToolFailedException e)
        {
            return (e.Result.ExitCode, e.Result.StandardOutput + e.Result.StandardError);
        }
        catch (ToolTimedOutException)
        {
            return (124, "timed out after 30 s");
        }
        catch (MissingPrerequisiteException e)
        {
            return (127, e.Message);
        }
    }
}
