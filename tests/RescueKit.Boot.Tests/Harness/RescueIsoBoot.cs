using System.Text.RegularExpressions;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// Boots a rescue ISO the ways a user does — as a CD, or written raw to a USB stick — and drives it: through every init
/// stage to the front-end, into the expert shell, commands typed there. The host's ISO and the Debian 13 root's are
/// booted and judged the same way.
/// </summary>
public static partial class RescueIsoBoot
{
    public static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The stage that hands the console to the front-end; it reports only when the front-end returns.</summary>
    private const string FrontEndStage = "90-frontend";

    /// <summary>The stages as the medium carries them (init-scripts/stages), in boot order.</summary>
    private static IReadOnlyList<string> Stages()
    {
        // Directory.GetFiles knows only * and ?: a shell class such as [0-9] matches nothing and left no stage to check.
        var stages = Directory.GetFiles(Path.Combine(RepoPaths.InitScripts, "stages"), "*.sh")
            .Select(p => Path.GetFileNameWithoutExtension(p)).Where(n => StageName().IsMatch(n))
            .Order(StringComparer.Ordinal).ToList();
        Assert.That(stages, Is.Not.Empty, $"no NN-name.sh stage in {RepoPaths.InitScripts}/stages");
        return stages;
    }

    /// <summary>
    /// Starts a 2 GiB machine booting <paramref name="iso"/> as a CD, or as its only disk; with
    /// <paramref name="secureBoot"/>, under OVMF with Microsoft's keys and Secure Boot enforcing (its own copy of the
    /// variable store, so no test sees another's boot entries).
    /// </summary>
    public static QemuMachine Start(string name, string iso, QemuFirmware firmware, bool asDisk, bool secureBoot = false)
    {
        var builder = QemuMachine.Create(name).WithFirmware(firmware).WithMemory(2048);
        if (secureBoot)
        {
            VmLab.RequireOvmf();
            var variables = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"ovmf-vars-{name}.fd");
            File.Copy(QemuMachineBuilder.OvmfSecureBootVarsTemplatePath, variables, overwrite: true);
            builder.WithSecureBoot(variables);
        }
        if (asDisk)
        {
            // A copy, as a stick is: the guest gets a writable disk and must still leave it alone.
            var disk = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"usb-{name}.img");
            File.Copy(iso, disk, overwrite: true);
            builder.WithBootDisk(disk);
        }
        else
        {
            builder.WithCdrom(iso);
        }
        return builder.Build().Start();
    }

    /// <summary>
    /// Waits for every stage before the front-end to report ok and for the front-end, then asserts that it runs in
    /// interactive mode and that 20-modules had the modules kept on the medium at hand (docs/mkrescue.md).
    /// </summary>
    public static void WaitForFrontEnd(QemuMachine vm)
    {
        WaitForStages(vm);
        var banner = vm.WaitFor(BannerPattern(), BootTimeout);
        vm.WaitFor("No backup found", TimeSpan.FromMinutes(1));
        TestContext.Out.WriteLine($"{vm.Name}: front-end after {vm.Elapsed.TotalSeconds:F1} s");

        Assert.That(banner.Groups["mode"].Value, Is.EqualTo("interactive"));
        Assert.That(vm.Transcript, Does.Not.Contain("kept on it are unavailable"));
    }

    /// <summary>Waits for every stage before the front-end, in boot order, and fails with the stage's log on the first
    /// that reports failed (init then waits in a shell, which would only time out).</summary>
    public static void WaitForStages(QemuMachine vm)
    {
        foreach (var stage in Stages().Where(s => s != FrontEndStage))
        {
            var report = vm.WaitFor(new Regex($@"\[rk\] stage {Regex.Escape(stage)}: (ok|failed)[^\n]*\n"), BootTimeout);
            if (report.Groups[1].Value == "ok") continue;
            vm.WaitFor("type 'exit' to continue", TimeSpan.FromMinutes(1));
            Assert.Fail($"{vm.Name}: {vm.Transcript[report.Index..]}");
        }
    }

    /// <summary>Waits for the front-end and takes it into the expert shell: Enter at the plain prompt when there is no
    /// backup, choice 4 of the terminal UI's start page when there is one.</summary>
    public static void OpenExpertShell(QemuMachine vm)
    {
        var front = vm.WaitFor(new Regex("Press Enter for the expert shell|Expert shell"), BootTimeout);
        if (front.Value == "Expert shell") vm.Send("4");
        else vm.SendLine("");
        vm.WaitFor(new Regex(@"rescue:.*# "), TimeSpan.FromMinutes(1));
    }

    /// <summary>`rescuekit selftest` in the expert shell says PASS and exits 0.</summary>
    public static void AssertSelftestPasses(QemuMachine vm)
    {
        var (output, exitCode) = vm.RunShell("rescuekit selftest", TimeSpan.FromMinutes(3));
        Assert.That(output, Does.Contain("RescueKit selftest: PASS"));
        Assert.That(exitCode, Is.EqualTo(0));
    }

    [GeneratedRegex(@"^[0-9]{2}-")]
    private static partial Regex StageName();

    [GeneratedRegex(@"RescueKit \S+ restore \(mode: (?<mode>[a-z]+)\)")]
    public static partial Regex BannerPattern();
}
