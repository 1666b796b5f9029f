using System.Text.RegularExpressions;
using NUnit.Framework;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// Boots init-scripts/ alone (busybox, CD modules, a stub front-end) with the test kernel and a tiny ISO as the
/// rescue media, and checks the stage lines, rk.break and the failed-stage shell on the serial console.
/// </summary>
[Category("Boot")]
public sealed class InitScriptsBootTests
{
    private const string Label = InitScriptsImage.Label;
    private static readonly TimeSpan FirstLine = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(90);

    private static readonly string[] Stages =
        ["10-devices", "20-modules", "30-network", "40-media", "50-raid", "60-lvm", "70-nfs"];

    private string _initrd = "";
    private string _iso = "";

    [OneTimeSetUp]
    public void BuildImages()
    {
        VmLab.RequireQemu();
        var xorriso = ExternalTool.Require("xorriso", "xorriso");
        var dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "init-scripts-boot");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        _initrd = Path.Combine(dir, "initrd.gz");
        InitScriptsImage.Build(dir, _initrd);

        // The media: just a labelled ISO with a backup manifest, no boot loader (the kernel comes via -kernel).
        var media = Path.Combine(dir, "media");
        Directory.CreateDirectory(Path.Combine(media, "backup"));
        File.WriteAllText(Path.Combine(media, "backup", "manifest.json"), "{}\n");
        _iso = Path.Combine(dir, "media.iso");
        ExternalTool.RunOk(xorriso, "xorriso", ["-as", "mkisofs", "-quiet", "-V", Label, "-o", _iso, media]);
    }

    [Test]
    public void EveryStageSaysOkInOrderThenTheFrontEndRunsAndExitRebootsTheMachine()
    {
        using var vm = Boot("all-ok", "", withCdrom: true);

        vm.WaitFor("[rk] RescueKit 0.0.0 rescue system: mode interactive, source auto", FirstLine);
        foreach (var stage in Stages)
            vm.WaitFor(new Regex($@"\[rk\] stage {stage}: (ok|failed)[^\n]*"), Step).Value.ShouldSay($"[rk] stage {stage}: ok");
        Assert.That(vm.Transcript, Does.Contain("[rk] stage 40-media: ok (/dev/sr0, backup at /run/rescuekit/media/backup)"));
        vm.WaitFor("RescueKit 0.0.0 restore (mode: interactive)", Step);
        vm.WaitFor("stub backup: /run/rescuekit/media/backup", Step);
        vm.WaitFor("[rk] stage 90-frontend: ok", Step);
        vm.WaitFor("Type 'exit' to reboot.", Step);
        vm.WaitFor(new Regex("# "), Step);
        var booted = vm.Elapsed;
        vm.SendLine("exit");
        vm.WaitFor("[rk] rebooting", Step);
        Assert.That(vm.WaitForExit(Step), Is.EqualTo(0));
        TestContext.Out.WriteLine($"QEMU start to front-end shell: {booted.TotalSeconds:0.0} s under TCG");
    }

    [Test]
    public void BreakAtMediaGivesAShellBeforeTheMediaStageAndExitContinues()
    {
        using var vm = Boot("break", "rk.break=40-media rk.mode=nuke rk.unattended rk.nopart", withCdrom: true);

        vm.WaitFor("[rk] stage 30-network: ok", FirstLine);
        vm.WaitFor("[rk] rk.break: shell before stage 40-media.", Step);
        vm.WaitFor(new Regex("# "), Step);
        var shellAt = vm.Elapsed;
        Assert.That(vm.Transcript, Does.Not.Contain("stage 40-media:"));
        vm.SendLine("echo marker-$((6*7))");
        vm.WaitFor("marker-42", Step);
        vm.SendLine("exit");
        vm.WaitFor("[rk] stage 40-media: ok", Step);
        vm.WaitFor("RescueKit 0.0.0 restore (mode: nuke)", Step);
        vm.WaitFor("stub args: restore --mode nuke --unattended --no-part", Step);
        TestContext.Out.WriteLine($"QEMU start to rk.break shell: {shellAt.TotalSeconds:0.0} s under TCG");
    }

    [Test]
    public void WithoutTheMediaTheMediaStageFailsIntoAShellWithTheLogAndExitContinues()
    {
        using var vm = Boot("no-media", "", withCdrom: false);

        vm.WaitFor("[rk] stage 30-network: ok", FirstLine);
        vm.WaitFor($"[rk] stage 40-media: failed (no device with label {Label} after 8 s)", Step);
        vm.WaitFor("[rk] ---- last lines of /run/rescuekit/init.log ----", Step);
        vm.WaitFor("--- stage 40-media", Step);
        vm.WaitFor("Stage 40-media failed.", Step);
        vm.WaitFor(new Regex("# "), Step);
        var shellAt = vm.Elapsed;
        vm.SendLine("exit");
        foreach (var stage in Stages[4..])
            vm.WaitFor($"[rk] stage {stage}: ok", Step);
        vm.WaitFor("RescueKit 0.0.0 restore (mode: interactive)", Step);
        vm.WaitFor("stub backup: none", Step);
        TestContext.Out.WriteLine($"QEMU start to failed-stage shell: {shellAt.TotalSeconds:0.0} s under TCG");
    }

    [Test]
    public void SelftestModeRunsTheSelftestPrintsItsExitCodeAndPowersOff()
    {
        using var vm = Boot("selftest", "rk.mode=selftest", withCdrom: true);

        vm.WaitFor("[rk] stage 70-nfs: ok", FirstLine);
        vm.WaitFor("RescueKit 0.0.0 selftest (mode: ?)", Step);
        vm.WaitFor("[rk] selftest exit code: 0", Step);
        vm.WaitFor("[rk] stage 90-frontend: ok (selftest passed)", Step);
        Assert.That(vm.WaitForExit(Step), Is.EqualTo(0));
        Assert.That(vm.Transcript, Does.Not.Contain("Type 'exit' to reboot"));
        TestContext.Out.WriteLine($"QEMU start to power-off in selftest mode: {vm.Elapsed.TotalSeconds:0.0} s under TCG");
    }

    [Test]
    public void SelftestWithoutTheMediaReportsTheFailedStageWithoutAShellAndPowersOff()
    {
        using var vm = Boot("selftest-no-media", "rk.mode=selftest", withCdrom: false);

        vm.WaitFor("[rk] stage 40-media: failed", FirstLine);
        vm.WaitFor("[rk] rk.mode=selftest: no shell, continuing with the next stage.", Step);
        vm.WaitFor("[rk] selftest exit code: 0", Step);
        vm.WaitFor("[rk] stage 90-frontend: failed (selftest passed; failed stages: 40-media)", Step);
        Assert.That(vm.WaitForExit(Step), Is.EqualTo(0));
        Assert.That(vm.Transcript, Does.Not.Contain("Fix what you can here"));
    }

    [Test]
    public void DebugTracesInitAndShowsStageOutputOnTheConsole()
    {
        using var vm = Boot("debug", "rk.debug", withCdrom: true);

        vm.WaitFor("+ rk_run_stage /usr/lib/rescuekit/init/stages/10-devices.sh", FirstLine);
        // 20-modules' own output, normally only in init.log.
        vm.WaitFor(new Regex(@"coldplug at [0-9.]+ s: \d+ device aliases"), Step);
        vm.WaitFor("[rk] stage 20-modules: ok", Step);
        vm.WaitFor("looking for a device labelled RESCUEKIT", Step);
        vm.WaitFor("[rk] stage 40-media: ok", Step);
        vm.WaitFor("RescueKit 0.0.0 restore (mode: interactive)", Step);
    }

    [Test]
    public void HttpSourceWithDhcpBringsUpTheNicAndPassesTheUrlOn()
    {
        const string url = "http://10.0.2.2/backups/host1";
        // Unrestricted so that the lease carries a router and a DNS server; the guest connects to nothing.
        using var vm = Boot("dhcp", $"rk.source={url} ip=dhcp", withCdrom: true, network: NetworkKind.Open);

        vm.WaitFor("[rk] stage 20-modules: ok", FirstLine);
        vm.WaitFor("[rk] stage 30-network: ok (eth0 (52:54:00:12:34:56) dhcp 10.0.2.15)", Step);
        // The URL is recorded, but the stub rescuekit has no HTTP client (no fetch verb): the stage says so, not "ok".
        vm.WaitFor($"[rk] stage 40-media: failed (rk.source={url} needs rescuekit's HTTP client ('rescuekit fetch'), and this rescuekit has none", Step);
        vm.WaitFor("Stage 40-media failed.", Step);
        vm.WaitFor(new Regex("# "), Step);
        vm.SendLine("exit");
        vm.WaitFor($"stub args: restore --mode interactive --source {url}", Step);
        vm.WaitFor($"stub backup: none {url}", Step);
        vm.WaitFor("Type 'exit' to reboot.", Step);
        vm.WaitFor(new Regex("# "), Step);
        // udhcpc's script set the address with the lease's netmask, the default route and the resolver.
        vm.SendLine("ifconfig eth0 | grep 'inet '; route -n | grep '^0.0.0.0'; cat /etc/resolv.conf");
        vm.WaitFor("inet addr:10.0.2.15  Bcast:10.0.2.255  Mask:255.255.255.0", Step);
        vm.WaitFor(new Regex(@"0\.0\.0\.0\s+10\.0\.2\.2\s+0\.0\.0\.0\s+UG"), Step);
        vm.WaitFor("nameserver 10.0.2.3", Step);
    }

    [Test]
    public void CompareModeWithAnUnreachableNfsSourceRunsRaidLvmAndFailsTheNfsStageIntoAShell()
    {
        const string share = "10.0.2.2:/srv/backup";
        using var vm = Boot("nfs", $"rk.mode=compare rk.source=nfs:{share} ip=dhcp", withCdrom: false, network: NetworkKind.Restricted);

        vm.WaitFor("[rk] stage 30-network: ok (eth0 (52:54:00:12:34:56) dhcp 10.0.2.15)", FirstLine);
        vm.WaitFor("[rk] stage 40-media: ok (skipped: backup on NFS, see 70-nfs)", Step);
        // The image has neither mdadm nor lvm: compare mode wants them, so the stages say why they did nothing.
        vm.WaitFor("[rk] stage 50-raid: ok (skipped: no mdadm in the image)", Step);
        vm.WaitFor("[rk] stage 60-lvm: ok (skipped: no lvm in the image)", Step);
        vm.WaitFor($"[rk] stage 70-nfs: failed (cannot mount {share})", Step);
        vm.WaitFor("Stage 70-nfs failed.", Step);
        vm.WaitFor(new Regex("# "), Step);
        vm.SendLine("exit");
        vm.WaitFor("RescueKit 0.0.0 restore (mode: compare)", Step);
        vm.WaitFor($"stub args: restore --mode compare --source nfs:{share}", Step);
    }

    [Test]
    public void StaticIpWithAnEmptyDeviceConfiguresTheFirstNic()
    {
        using var vm = Boot("static", "rk.source=tftp://10.0.2.2/rk ip=10.0.2.77::10.0.2.2:255.255.255.0:rkhost::off:10.0.2.3",
            withCdrom: false, network: NetworkKind.Restricted);

        vm.WaitFor("[rk] stage 30-network: ok (eth0 (52:54:00:12:34:56) static 10.0.2.77 via 10.0.2.2)", FirstLine);
        vm.WaitFor("[rk] stage 40-media: failed (rk.source=tftp://10.0.2.2/rk: a backup is not read over TFTP; serve it over HTTP", Step);
        vm.WaitFor(new Regex("# "), Step);
        vm.SendLine("exit");
        vm.WaitFor("Type 'exit' to reboot.", Step);
        vm.WaitFor(new Regex("# "), Step);
        vm.SendLine("hostname; ifconfig eth0 | grep 'inet '; cat /etc/resolv.conf");
        vm.WaitFor("\nrkhost\n", Step);
        vm.WaitFor("inet addr:10.0.2.77  Bcast:10.0.2.255  Mask:255.255.255.0", Step);
        vm.WaitFor("nameserver 10.0.2.3", Step);
    }

    private enum NetworkKind
    {
        None,
        Restricted,
        Open,
    }

    private QemuMachine Boot(string name, string rkArguments, bool withCdrom, NetworkKind network = NetworkKind.None)
    {
        var builder = QemuMachine.Create(name)
            .WithKernel(VmLab.KernelPath, _initrd, $"console=ttyS0,115200 panic=-1 {rkArguments}".Trim());
        if (withCdrom) builder.WithCdrom(_iso);
        if (network != NetworkKind.None) builder.WithUserNetwork(restrict: network == NetworkKind.Restricted);
        return builder.Build().Start();
    }
}

internal static class StageLineAssertions
{
    /// <summary>Asserts a stage line is the expected status (with any " (reason)" after it).</summary>
    public static void ShouldSay(this string line, string expectedPrefix) =>
        Assert.That(line, Does.StartWith(expectedPrefix), $"stage line was: {line}");
}
