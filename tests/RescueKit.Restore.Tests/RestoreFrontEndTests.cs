using RescueKit.Core;

namespace RescueKit.Restore.Tests;

public class RestoreFrontEndTests
{
    [Test]
    public void NoBackup_PrintsTheBanner_SaysSo_AndOffersTheExpertShell()
    {
        using var rescue = new FakeRescueSystem();
        rescue.Write("run/rescuekit/state.env", "RK_MEDIA_DEV='/dev/sr0'\n");
        var (console, output) = TestConsoles.Create();
        var shellStarted = false;
        var input = new StringReader("\n");
        var previous = Console.In;
        Console.SetIn(input);
        try
        {
            var code = new RestoreFrontEnd(console, new RescueEnvironment(rescue.Root), "1.2.3", () => { shellStarted = true; return 0; })
                .Run(new RestoreOptions(RestoreMode.Interactive));

            Assert.That(code, Is.Zero);
        }
        finally
        {
            Console.SetIn(previous);
        }

        var lines = output.ToString().Split('\n');
        Assert.That(lines[0].TrimEnd(), Is.EqualTo("RescueKit 1.2.3 restore (mode: interactive)"));
        Assert.That(output.ToString(), Does.Contain("No backup found on the rescue medium /dev/sr0"));
        Assert.That(output.ToString(), Does.Contain("Press Enter for the expert shell"));
        Assert.That(shellStarted, Is.True);
        Assert.That(output.ToString(), Does.Not.Contain("Waiting for the drivers"));
    }

    [Test]
    public void ABackupOnTheUsbDataPartition_IsOffered_AndTheOlderOnesListed()
    {
        using var rescue = new FakeRescueSystem();
        const string newest = "/run/rescuekit/data/web1/20261207T070000Z", older = "/run/rescuekit/data/web1/20261201T070000Z";
        rescue.Write($"{newest.TrimStart('/')}/manifest.json", "{}");
        rescue.Write($"{older.TrimStart('/')}/manifest.json", "{}");
        rescue.Write("run/rescuekit/state.env", $"RK_MEDIA_DEV='/dev/sda1'\nRK_DATA_DEV='/dev/sda3'\nRK_DATA_BACKUPS='{newest} {older}'\nRK_BACKUP_DIR='{newest}'\n");
        var (console, output) = TestConsoles.Create();

        var code = RunWithEnter(() => new RestoreFrontEnd(console, new RescueEnvironment(rescue.Root), "1.2.3", () => 0)
            .Run(new RestoreOptions(RestoreMode.Interactive)));

        Assert.That(code, Is.Zero);
        var text = output.ToString();
        Assert.That(text, Does.Contain($"A backup was found at {newest}"));
        Assert.That(text, Does.Contain($"Other backups on the USB data partition /dev/sda3, newest first"));
        Assert.That(text, Does.Contain($"\n  {older}"));
        Assert.That(text.Split(newest).Length - 1, Is.EqualTo(1), "the newest is offered, not listed again");
    }

    [Test]
    public void TheShellWaitsUntilInitHasLoadedTheMediumsDrivers()
    {
        using var rescue = new FakeRescueSystem();
        var environment = new RescueEnvironment(rescue.Root);
        var pending = rescue.Write("run/rescuekit/devices.pending", "");
        var (console, output) = TestConsoles.Create();
        bool? pendingAtShell = null;
        var init = Task.Run(async () => { await Task.Delay(400); File.Delete(pending); });

        var code = RunWithEnter(() => new RestoreFrontEnd(console, environment, "1.2.3",
            () => { pendingAtShell = File.Exists(pending); return 0; }).Run(new RestoreOptions(RestoreMode.Interactive)));

        Assert.That(code, Is.Zero);
        Assert.That(pendingAtShell, Is.False, "the shell started while init was still loading drivers");
        Assert.That(output.ToString(), Does.Contain("Waiting for the drivers kept on the rescue medium"));
        Assert.That(output.ToString(), Does.Not.Contain("still loading"));
        // The front-end may see the file gone before the task that removed it has completed: wait, never dispose it early.
        init.Wait();
    }

    [Test]
    public void DriversThatNeverFinish_AreReported_AndTheShellStartsAnyway()
    {
        using var rescue = new FakeRescueSystem();
        rescue.Write("run/rescuekit/devices.pending", "");
        var (console, output) = TestConsoles.Create();
        var shellStarted = false;

        RunWithEnter(() => new RestoreFrontEnd(console, new RescueEnvironment(rescue.Root), "1.2.3",
            () => { shellStarted = true; return 0; }, devicesLimit: TimeSpan.FromMilliseconds(300)).Run(new RestoreOptions(RestoreMode.Interactive)));

        Assert.That(shellStarted, Is.True);
        Assert.That(output.ToString(), Does.Contain("They are still loading after 0.3 s"));
        Assert.That(output.ToString(), Does.Contain("/run/rescuekit/init.log"));
    }

    private static int RunWithEnter(Func<int> run)
    {
        var previous = Console.In;
        Console.SetIn(new StringReader("\n"));
        try
        {
            return run();
        }
        finally
        {
            Console.SetIn(previous);
        }
    }

    [Test]
    public void Nuke_WithTheBackupInitFound_IsHandedOver_OnceTheDriversHaveLoaded()
    {
        using var rescue = new FakeRescueSystem();
        rescue.Write("media/backup/manifest.json", "{}");
        rescue.Write("run/rescuekit/state.env", "RK_BACKUP_DIR='/media/backup'\n");
        var pending = rescue.Write("run/rescuekit/devices.pending", "");
        var (console, _) = TestConsoles.Create();
        var pendingWhenHandedOver = true;
        _ = Task.Delay(300).ContinueWith(_ => File.Delete(pending));

        var code = new RestoreFrontEnd(console, new RescueEnvironment(rescue.Root), "1.2.3", () => 0,
                nuke: _ => { pendingWhenHandedOver = File.Exists(pending); return 42; })
            .Run(new RestoreOptions(RestoreMode.Nuke, Unattended: true));

        Assert.That(code, Is.EqualTo(42));
        Assert.That(pendingWhenHandedOver, Is.False, "nuke needs every disk: it waits for the drivers kept on the medium");
    }

    [Test]
    public void Nuke_WithAnHttpSource_IsHandedOverWithTheUrlNamed()
    {
        using var rescue = new FakeRescueSystem();
        const string url = "http://10.0.2.2:8080/backups/host1/20261207T101500Z";
        rescue.Write("run/rescuekit/state.env", $"RK_BACKUP_URL='{url}'\n");
        var (console, output) = TestConsoles.Create();

        var code = new RestoreFrontEnd(console, new RescueEnvironment(rescue.Root), "1.2.3", () => 0, nuke: _ => 42)
            .Run(new RestoreOptions(RestoreMode.Nuke, Unattended: true));

        Assert.That(code, Is.EqualTo(42));
        // The test console wraps at its width: compare the words, not the line breaks.
        Assert.That(string.Join(' ', output.ToString().Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)),
            Does.Contain($"The backup is served at {url} (rk.source)."));
        Assert.That(RescuePaths.FoundBackup(new RescueEnvironment(rescue.Root).Variables()), Is.EqualTo(url));
    }

    /// <summary>An http:// backup is read there (tests/RescueKit.Backup.Tests/Targets/HttpBackupTests.cs); tftp:// and
    /// https:// are refused with one line saying what to serve it with instead.</summary>
    [TestCase("tftp://10.0.2.2/backups/h/1", "a backup is not read over TFTP")]
    [TestCase("https://10.0.2.2/backups/h/1/", "https:// is not supported")]
    public void ATftpOrHttpsBackup_IsRefusedWithOneLine(string url, string reason)
    {
        var e = Assert.Throws<BadInputException>(() => Backup.Targets.BackupLocation.Open(url,
            new Host.ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None, CancellationToken.None))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.Contain(reason).And.Contain("http://").And.Not.Contain("\n"));
    }

    [Test]
    public void Compare_WithTheBackupInitFound_IsHandedOverToCompare_NotToNuke()
    {
        using var rescue = new FakeRescueSystem();
        rescue.Write("media/backup/manifest.json", "{}");
        rescue.Write("run/rescuekit/state.env", "RK_BACKUP_DIR='/media/backup'\n");
        var (console, _) = TestConsoles.Create();
        var nuked = false;

        var code = new RestoreFrontEnd(console, new RescueEnvironment(rescue.Root), "1.2.3", () => 0,
                nuke: _ => { nuked = true; return 0; }, compare: _ => 1)
            .Run(new RestoreOptions(RestoreMode.Compare, Unattended: true));

        Assert.That(code, Is.EqualTo(1), "compare's own exit code: something differs");
        Assert.That(nuked, Is.False);
    }

    [Test]
    public void Expert_GoesStraightToTheShell_NamingMountTarget()
    {
        using var rescue = new FakeRescueSystem();
        var (console, output) = TestConsoles.Create();
        var shellStarted = false;

        var code = new RestoreFrontEnd(console, new RescueEnvironment(rescue.Root), "1.2.3", () => { shellStarted = true; return 7; })
            .Run(new RestoreOptions(RestoreMode.Expert));

        Assert.That(code, Is.EqualTo(7));
        Assert.That(shellStarted, Is.True);
        Assert.That(output.ToString(), Does.Contain("rescuekit mount-target").And.Not.Contain("Press Enter"));
    }

    [Test]
    public void UnattendedNuke_WithNoBackup_FailsWithoutPromptingOrAShell()
    {
        using var rescue = new FakeRescueSystem();
        var (console, output) = TestConsoles.Create();
        var shellStarted = false;

        var code = new RestoreFrontEnd(console, new RescueEnvironment(rescue.Root), "1.2.3", () => { shellStarted = true; return 0; })
            .Run(new RestoreOptions(RestoreMode.Nuke, Unattended: true));

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output.ToString(), Does.Contain("(mode: nuke)").And.Contain("no disk was touched"));
        Assert.That(output.ToString(), Does.Not.Contain("Press Enter"));
        Assert.That(shellStarted, Is.False);
    }

    [Test]
    public void Variables_LaterRunFilesOverrideRescueConf_AndQuotesAreRemoved()
    {
        using var rescue = new FakeRescueSystem();
        rescue.Write("run/rescuekit/cmdline.env", "export RK_SOURCE=\"nfs:10.0.2.2:/backups\"\nRK_LABEL='OTHER'\n# comment\n");

        var vars = new RescueEnvironment(rescue.Root).Variables();

        Assert.That(vars["RK_SOURCE"], Is.EqualTo("nfs:10.0.2.2:/backups"));
        Assert.That(vars["RK_LABEL"], Is.EqualTo("OTHER"));
        Assert.That(vars["RK_VERSION"], Is.EqualTo("9.9.9"));
    }
}
