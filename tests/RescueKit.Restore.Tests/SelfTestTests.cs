using RescueKit.Core;

namespace RescueKit.Restore.Tests;

public class SelfTestTests
{
    [Test]
    public void AToolWhoseLibraryIsMissing_FailsTheSelftestByName()
    {
        using var rescue = new FakeRescueSystem();
        // A dynamically linked program whose loader reports a missing library, as a broken rescue image would.
        var broken = rescue.Write("usr/sbin/broken",
            "#!/bin/sh\necho 'broken: error while loading shared libraries: libnothere.so.1: cannot open shared object file' >&2\nexit 127\n");
        File.SetUnixFileMode(broken, (UnixFileMode)UnixModes.Executable);
        rescue.Write("etc/rescuekit/tools.list", "sh /bin/sh\nbroken /usr/sbin/broken\nmissing /usr/sbin/missing\n");
        File.CreateSymbolicLink(Path.Combine(rescue.Root, "bin"), "/bin");
        var (console, output) = TestConsoles.Create();

        var code = new SelfTest(console, new RescueEnvironment(rescue.Root)).Run();

        Assert.That(code, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(output.ToString(), Does.Contain("ok    sh"));
        Assert.That(output.ToString(), Does.Contain("FAIL  broken: broken: error while loading shared libraries"));
        Assert.That(output.ToString(), Does.Contain("FAIL  missing:"));
        Assert.That(output.ToString(), Does.Contain("RescueKit selftest: FAIL (broken, missing"));
    }

    [Test]
    public void NoToolsList_IsAFailureNotAPass()
    {
        using var rescue = new FakeRescueSystem();
        var (console, output) = TestConsoles.Create();

        var code = new SelfTest(console, new RescueEnvironment(rescue.Root)).Run();

        Assert.That(code, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(output.ToString(), Does.Contain("tools.list").And.Contain("RescueKit selftest: FAIL"));
    }

    [Test]
    public void DriversStillLoading_FailTheSelftestByName()
    {
        using var rescue = new FakeRescueSystem();
        rescue.Write("run/rescuekit/devices.pending", "");
        var (console, output) = TestConsoles.Create();

        var code = new SelfTest(console, new RescueEnvironment(rescue.Root)).Run();

        // The test console wraps long lines.
        var text = System.Text.RegularExpressions.Regex.Replace(output.ToString(), @"\s+", " ");
        Assert.That(code, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(text, Does.Contain("FAIL drivers kept on the medium: still loading"));
        Assert.That(text, Does.Contain("drivers kept on the medium)"), "the summary names the failed check");
    }

    [Test]
    public void EssentialModuleThatDoesNotLoad_FailsTheSelftestByName()
    {
        // kmod as it behaves on a medium whose uas module it cannot read; sr_mod loads; isofs is built in.
        using var rescue = WithModprobe("sr_mod uas isofs",
            "case \"$1\" in uas) echo \"modprobe: FATAL: Module uas not found in directory /lib/modules/x\" >&2; exit 1;; esac\nexit 0");
        rescue.Write($"lib/modules/{Release}/modules.builtin", "kernel/fs/isofs/isofs.ko\n");
        Directory.CreateDirectory(Path.Combine(rescue.Root, "sys/module/sr_mod"));

        var (code, text) = RunSelfTest(rescue);

        Assert.That(code, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(text, Does.Contain("ok module sr_mod"));
        Assert.That(text, Does.Contain("ok module isofs"));
        Assert.That(text, Does.Contain("FAIL module uas: modprobe uas failed: modprobe: FATAL: Module uas not found"));
        Assert.That(text, Does.Contain("RescueKit selftest: FAIL (module uas)"));
    }

    [Test]
    public void ModprobeThatSucceedsWithoutLoading_IsAFailure()
    {
        using var rescue = WithModprobe("sd_mod", "exit 0");

        var (code, text) = RunSelfTest(rescue);

        Assert.That(code, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(text, Does.Contain("FAIL module sd_mod: modprobe sd_mod exited 0 but the kernel has no module sd_mod"));
    }

    private static string Release => File.ReadAllText("/proc/sys/kernel/osrelease").Trim();

    /// <summary>A rescue system whose only tool is kmod, a modprobe running <paramref name="script"/>, with these
    /// essential modules and a modules.dep for the running kernel.</summary>
    private static FakeRescueSystem WithModprobe(string essential, string script)
    {
        var rescue = new FakeRescueSystem();
        rescue.Write("etc/rescuekit/rescue.conf", $"RK_VERSION='9.9.9'\nRK_ESSENTIAL_MODULES='{essential}'\n");
        rescue.Write($"lib/modules/{Release}/modules.dep", "kernel/drivers/scsi/sr_mod.ko.zst:\n");
        File.SetUnixFileMode(rescue.Write("usr/sbin/modprobe", $"#!/bin/sh\n{script}\n"), (UnixFileMode)UnixModes.Executable);
        rescue.Write("etc/rescuekit/tools.list", "kmod /usr/sbin/modprobe\n");
        return rescue;
    }

    /// <summary>The self-test's exit code and its output with the test console's line wrapping undone.</summary>
    private static (int Code, string Text) RunSelfTest(FakeRescueSystem rescue)
    {
        var (console, output) = TestConsoles.Create();
        var code = new SelfTest(console, new RescueEnvironment(rescue.Root)).Run();
        return (code, System.Text.RegularExpressions.Regex.Replace(output.ToString(), @"\s+", " "));
    }
}
