using NUnit.Framework;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// The command-line and rk.break helpers of init-scripts/lib/functions.sh, run by the host's busybox sh (the same
/// shell the rescue system uses) without booting anything.
/// </summary>
[Category("Oracle")]
public sealed class InitFunctionsTests
{
    [Test]
    public void DefaultsWhenTheCommandLineHasNoRescueKitKeys()
    {
        var env = ParseCmdline("BOOT_IMAGE=/boot/vmlinuz console=ttyS0,115200 quiet");

        Assert.That(env, Does.Contain("RK_MODE='interactive'\n"));
        Assert.That(env, Does.Contain("RK_SOURCE='auto'\n"));
        Assert.That(env, Does.Contain("RK_SOURCE_GIVEN=''\n"));
        Assert.That(env, Does.Contain("RK_BREAK=''\n"));
        Assert.That(env, Does.Contain("RK_IP=''\n"));
    }

    [Test]
    public void EveryKeyOfTheDesignIsRecorded()
    {
        var env = ParseCmdline("rk.mode=nuke rk.source=nfs:10.0.0.1:/srv/backup ip=10.0.0.9::10.0.0.1:255.255.255.0:h::off "
                               + "rk.break=media rk.break rk.debug rk.unattended rk.noresize rk.nopart rk.after=poweroff");

        Assert.That(env, Is.EqualTo("""
            RK_MODE='nuke'
            RK_SOURCE='nfs:10.0.0.1:/srv/backup'
            RK_SOURCE_GIVEN='1'
            RK_IP='10.0.0.9::10.0.0.1:255.255.255.0:h::off'
            RK_BREAK='media,90-frontend'
            RK_DEBUG='1'
            RK_UNATTENDED='1'
            RK_NORESIZE='1'
            RK_NOPART='1'
            RK_AFTER='poweroff'
            RK_BOOTIF=''
            RK_INITRD_SHA256=''

            """));
    }

    [TestCase("BOOTIF=01-52-54-00-AB-cd-0e", "52:54:00:ab:cd:0e")]
    [TestCase("BOOTIF=01-52:54:00:ab:cd:0e", "52:54:00:ab:cd:0e")]
    [TestCase("BOOTIF=06-52-54-00-ab-cd-0e", "")]
    public void TheNicThatBootedIsRecordedAsAMacWithColons(string arg, string expected)
    {
        var env = ParseCmdline($"console=ttyS0 {arg} rk.initrd_sha256=ab12");

        Assert.That(env, Does.Contain($"RK_BOOTIF='{expected}'\n"));
        Assert.That(env, Does.Contain("RK_INITRD_SHA256='ab12'\n"));
    }

    [Test]
    public void AnUnknownAfter_IsIgnoredWithAWarning()
    {
        var env = ParseCmdline("rk.after=halt rk.unattended");

        Assert.That(env, Does.Contain("RK_AFTER=''\n"));
    }

    [Test]
    public void AnUnknownModeFallsBackToTheDefaultFromRescueConf()
    {
        var env = ParseCmdline("rk.mode=destroy", "RK_DEFAULT_MODE=compare");

        Assert.That(env, Does.Contain("RK_MODE='compare'\n"));
    }

    [Test]
    public void QuotesAndGlobsOnTheCommandLineCannotBreakTheEnvFile()
    {
        var env = ParseCmdline("rk.source=label:it's* rk.mode=expert");

        Assert.That(env, Does.Contain("RK_SOURCE='label:its*'\n"));
        Assert.That(env, Does.Contain("RK_MODE='expert'\n"));
    }

    [TestCase("40-media", "40-media", true)]
    [TestCase("media", "40-media", true)]
    [TestCase("raid,media", "40-media", true)]
    [TestCase("media", "50-raid", false)]
    [TestCase("90-frontend", "90-frontend", true)]
    [TestCase("", "10-devices", false)]
    [TestCase("40", "40-media", false)]
    public void BreakMatchesAStageByFullNameOrByName(string breaks, string stage, bool expected)
    {
        var output = RunBusybox($"RK_BREAK='{breaks}'; rk_break_wanted '{stage}' && echo yes || echo no");

        Assert.That(output.Trim(), Is.EqualTo(expected ? "yes" : "no"));
    }

    private static string ParseCmdline(string cmdline, string conf = "") =>
        RunBusybox($"{conf}\nprintf '%s\\n' \"$1\" | rk_parse_cmdline", cmdline);

    private static string RunBusybox(string script, string argument = "")
    {
        var functions = Path.Combine(RepoPaths.InitScripts, "lib", "functions.sh");
        return ExternalTool.RunOk(InitramfsStaging.Busybox, "busybox-static", ["sh", "-c", $". '{functions}'\n{script}", "sh", argument]);
    }
}
