using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// The rescue ISO of this host boots four ways — CD and raw disk (the isohybrid USB path), under SeaBIOS and OVMF — through
/// every init stage into the restore front-end; and inside it, selftest passes.
/// </summary>
[Category("Boot")]
[NonParallelizable]
public partial class RescueIsoBootTests
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The stages as the medium carries them (init-scripts/stages), in boot order.</summary>
    private static IReadOnlyList<string> Stages() =>
        Directory.GetFiles(Path.Combine(RepoPaths.InitScripts, "stages"), "[0-9][0-9]-*.sh")
            .Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal).ToList();

    [TestCase(QemuFirmware.SeaBios, false, TestName = "BiosCdrom")]
    [TestCase(QemuFirmware.SeaBios, true, TestName = "BiosUsbDisk")]
    [TestCase(QemuFirmware.Ovmf, false, TestName = "UefiCdrom")]
    [TestCase(QemuFirmware.Ovmf, true, TestName = "UefiUsbDisk")]
    public void BootsThroughEveryStageToTheFrontEnd(QemuFirmware firmware, bool asDisk)
    {
        var iso = RescueIsoFixture.IsoPath;
        var builder = QemuMachine.Create($"{firmware}-{(asDisk ? "disk" : "cd")}").WithFirmware(firmware).WithMemory(2048);
        if (asDisk)
        {
            // A copy, as a stick is: the guest gets a writable disk and must still leave it alone.
            var disk = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"usb-{firmware}.img");
            File.Copy(iso, disk, overwrite: true);
            builder.WithBootDisk(disk);
        }
        else
        {
            builder.WithCdrom(iso);
        }

        using var vm = builder.Build().Start();
        foreach (var stage in Stages())
            vm.WaitFor(new Regex($@"\[rk\] stage {Regex.Escape(stage)}: (ok|failed)"), BootTimeout);
        var banner = vm.WaitFor(BannerPattern(), BootTimeout);
        vm.WaitFor("No backup found", TimeSpan.FromMinutes(1));
        TestContext.Out.WriteLine($"{firmware} {(asDisk ? "disk" : "CD")}: front-end after {vm.Elapsed.TotalSeconds:F1} s");

        foreach (var stage in Stages())
            Assert.That(vm.Transcript, Does.Match($@"\[rk\] stage {Regex.Escape(stage)}: ok"), $"stage {stage} did not report ok");
        Assert.That(banner.Groups["mode"].Value, Is.EqualTo("interactive"));
        // 20-modules found and mounted the medium, so the modules kept on it were at hand (docs/mkrescue.md).
        Assert.That(vm.Transcript, Does.Not.Contain("kept on it are unavailable"));
    }

    [Test]
    public void SelftestPassesInsideTheRescueSystem()
    {
        using var vm = QemuMachine.Create("selftest").WithMemory(2048).WithCdrom(RescueIsoFixture.IsoPath).Build().Start();
        vm.WaitFor(BannerPattern(), BootTimeout);
        vm.WaitFor("Press Enter for the expert shell", TimeSpan.FromMinutes(1));
        vm.SendLine("");
        vm.WaitFor(new Regex(@"rescue:.*# "), TimeSpan.FromMinutes(1));
        vm.SendLine("rescuekit selftest; echo SELFTEST-RC=$?");

        var rc = vm.WaitFor(new Regex(@"SELFTEST-RC=(\d+)"), TimeSpan.FromMinutes(3));

        Assert.That(vm.Transcript, Does.Contain("RescueKit selftest: PASS"));
        Assert.That(rc.Groups[1].Value, Is.EqualTo("0"));
    }

    [GeneratedRegex(@"RescueKit \S+ restore \(mode: (?<mode>[a-z]+)\)")]
    private static partial Regex BannerPattern();
}
