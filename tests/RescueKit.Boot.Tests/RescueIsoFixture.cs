using System.Diagnostics;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// Builds the rescue ISO of this host once per test run with the published rescuekit binary (make publish), as a user's
/// `make iso` does, and hands its path to the tests that inspect and boot it.
/// </summary>
public static class RescueIsoFixture
{
    private static readonly Lazy<(string Path, string Output)> Built = new(() => Build("rescue-iso"), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<(string Path, string Output)> BuiltUnsigned =
        new(() => Build("rescue-iso-unsigned", "--secure-boot", "off"), LazyThreadSafetyMode.ExecutionAndPublication);

    public static string IsoPath => Built.Value.Path;

    /// <summary>The same ISO built with `--secure-boot off`: UEFI boots grub-mkimage's unsigned BOOTX64.EFI.</summary>
    public static string UnsignedIsoPath => BuiltUnsigned.Value.Path;

    /// <summary>What mkrescue printed (stdout and stderr) while building it.</summary>
    public static string BuildOutput => Built.Value.Output;

    public static string Binary
    {
        get
        {
            var path = Path.Combine(RepoPaths.Root, "out", "publish", "rescuekit");
            if (!File.Exists(path))
                Assert.Fail($"{path} is missing: run 'make publish' (make test does it first)");
            return path;
        }
    }

    private static (string, string) Build(string directory, params string[] options)
    {
        var outDir = Path.Combine(RepoPaths.VmCache, directory);
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        Directory.CreateDirectory(outDir);
        var (exitCode, output) = RunBinary(["mkrescue", "--output", "iso", "--out", outDir, "--log-level", "Debug", .. options]);
        File.WriteAllText(Path.Combine(outDir, "mkrescue.log"), output);
        if (exitCode != 0) Assert.Fail($"mkrescue failed with exit code {exitCode}:\n{output}");
        var iso = Directory.GetFiles(outDir, "rescuekit-*.iso").SingleOrDefault()
            ?? throw new AssertionException($"mkrescue succeeded but wrote no rescuekit-*.iso in {outDir}:\n{output}");
        return (iso, output);
    }

    /// <summary>Runs the published rescuekit as a user does; returns its exit code and what it printed (stdout, then stderr).</summary>
    public static (int ExitCode, string Output) RunBinary(params string[] args)
    {
        var psi = new ProcessStartInfo(Binary, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(true); Assert.Fail($"rescuekit {args[0]} did not finish in 10 minutes"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
