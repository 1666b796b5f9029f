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
}
