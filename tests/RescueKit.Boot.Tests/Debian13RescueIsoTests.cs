using System.Diagnostics;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// The rescue ISO a Debian 13 (trixie) host builds: `rescuekit mkrescue` run in a debootstrapped trixie root with the
/// packages the Makefile names and no xz program, its ISO booted four ways as the host's is (RescueIsoBootTests). Trixie
/// ships kernel 6.12 with every module .ko.xz and kmod 34, which refuses zstd frames without a content size, so what
/// the Debian 12 host hides shows here: modules that do not load, a medium that is not found.
/// </summary>
[Category("Boot")]
[NonParallelizable]
public class Debian13RescueIsoTests
{
    /// <summary>What 20-modules loads before its coldplug (RescueTools.PreloadModules): the drivers that find the medium.</summary>
    private static readonly string[] PreloadModules = ["sr_mod", "sd_mod", "isofs", "usb_storage", "uas"];

    private const string OutDirectory = "/var/tmp/rescuekit-iso";

    private static readonly Lazy<string> Iso = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    [Test]
    public void MkrescueBuildsTheIso_WithNoXzProgramInstalled()
    {
        // The premise: a trixie host with the Makefile's packages has no xz; the build must not need one.
        Assert.That(File.Exists(DebianRoot.Trixie.HostPath("/usr/bin/xz")), Is.False, "xz-utils is in the Debian 13 root");
        Assert.That(Iso.Value, Does.Exist);
    }

    [TestCase(QemuFirmware.SeaBios, false, TestName = "Debian13BiosCdrom")]
    [TestCase(QemuFirmware.SeaBios, true, TestName = "Debian13BiosUsbDisk")]
    [TestCase(QemuFirmware.Ovmf, false, TestName = "Debian13UefiCdrom")]
    [TestCase(QemuFirmware.Ovmf, true, TestName = "Debian13UefiUsbDisk")]
    public void BootsThroughEveryStage_WithItsModulesLoaded_AndFindsItsMedium(QemuFirmware firmware, bool asDisk)
    {
        using var vm = RescueIsoBoot.Start($"deb13-{firmware}-{(asDisk ? "disk" : "cd")}", Iso.Value, firmware, asDisk);
        RescueIsoBoot.WaitForFrontEnd(vm);
        Assert.That(vm.Transcript, Does.Match(@"\[rk\] stage 40-media: ok \(/dev/\S+, no backup on the media\)"), "the medium found");

        RescueIsoBoot.OpenExpertShell(vm);
        var (modules, exitCode) = vm.RunShell("cut -d' ' -f1 /proc/modules", TimeSpan.FromMinutes(1));
        Assert.That(exitCode, Is.EqualTo(0), modules);
        Assert.That(modules.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Is.SupersetOf(PreloadModules), "modules loaded in the rescue system (/proc/modules)");
    }

    [Test]
    public void SelftestPassesInsideTheRescueSystem()
    {
        using var vm = RescueIsoBoot.Start("deb13-selftest", Iso.Value, QemuFirmware.SeaBios, asDisk: false);
        RescueIsoBoot.OpenExpertShell(vm);
        RescueIsoBoot.AssertSelftestPasses(vm);
    }

    private static string Build()
    {
        var root = DebianRoot.Trixie;
        var outDir = root.HostPath(OutDirectory);
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        Directory.CreateDirectory(outDir);
        var clock = Stopwatch.StartNew();
        var r = root.Run(["rescuekit", "mkrescue", "--output", "iso", "--out", OutDirectory, "--log-level", "Debug"]);
        var output = r.Stdout + r.Stderr;
        File.WriteAllText(Path.Combine(outDir, "mkrescue.log"), output);
        if (r.ExitCode != 0)
            Assert.Fail($"mkrescue in the Debian 13 root failed with exit code {r.ExitCode} (log: {outDir}/mkrescue.log):\n{Tail(output)}");
        TestContext.Progress.WriteLine($"mkrescue in the Debian 13 root: {clock.Elapsed.TotalSeconds:F1} s");
        return Directory.GetFiles(outDir, "rescuekit-*.iso").SingleOrDefault()
            ?? throw new AssertionException($"mkrescue succeeded but wrote no rescuekit-*.iso in {outDir}:\n{Tail(output)}");
    }

    // The debug log runs to thousands of lines; the error is at its end.
    private static string Tail(string output) =>
        string.Join('\n', output.Split('\n').TakeLast(40));
}
