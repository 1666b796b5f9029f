using RescueKit.Backup.Nfs;
using RescueKit.Core;

namespace RescueKit.Backup.Tests.Nfs;

public class NfsUrlTests
{
    [TestCase("nfs://192.168.1.5/srv/backups", "192.168.1.5", null, "/srv/backups", "192.168.1.5:/srv/backups")]
    [TestCase("nfs://10.0.2.100:20490/export/sets/", "10.0.2.100", 20490, "/export/sets", "10.0.2.100:/export/sets")]
    [TestCase("nfs://nas.example.org/volume1", "nas.example.org", null, "/volume1", "nas.example.org:/volume1")]
    [TestCase("nfs://backup-01:2049/a/b/c", "backup-01", 2049, "/a/b/c", "backup-01:/a/b/c")]
    [TestCase("NFS://nas/x", "nas", null, "/x", "nas:/x")]
    [TestCase("nfs://[fd00::5]:2049/srv", "fd00::5", 2049, "/srv", "[fd00::5]:/srv")]
    public void AWellFormedUrl_GivesTheServerPortAndPath(string text, string host, int? port, string path, string source)
    {
        var url = NfsUrl.Parse(text, "--to");

        Assert.That((url.Host, url.Port, url.Path), Is.EqualTo((host, port, path)));
        Assert.That(url.MountSource, Is.EqualTo(source));
        Assert.That(NfsUrl.Parse(url.ToString(), "--to"), Is.EqualTo(url), "it prints as a URL that parses back to itself");
    }

    [TestCase("nfs:///srv/backups", "names no server")]
    [TestCase("nfs://:2049/srv", "names no server")]
    [TestCase("nfs://nas", "names no exported directory")]
    [TestCase("nfs://nas/", "names no exported directory")]
    [TestCase("nfs://nas:/srv", "the port '' is not a number from 1 to 65535")]
    [TestCase("nfs://nas:http/srv", "the port 'http' is not a number")]
    [TestCase("nfs://nas:0/srv", "the port '0' is not a number from 1 to 65535")]
    [TestCase("nfs://nas:65536/srv", "the port '65536'")]
    [TestCase("nfs://nas:-1/srv", "the port '-1'")]
    [TestCase("nfs://10.0.2.300/srv", "'10.0.2.300' is neither an IPv4 address nor a host name")]
    [TestCase("nfs://nas_1/srv", "'nas_1' is neither")]
    [TestCase("nfs://-nas/srv", "'-nas' is neither")]
    [TestCase("nfs://user@nas/srv", "no user name or password")]
    [TestCase("nfs://nas/srv?x=1", "queries and fragments")]
    [TestCase("nfs://nas/my backups", "a space or a control character")]
    [TestCase("nfs://nas/srv/../etc", "a . or .. component")]
    [TestCase("nfs://[fd00::5/srv", "no closing ]")]
    [TestCase("nfs://[nas]/srv", "[nas] is not an IPv6 address")]
    [TestCase("nfs://[fd00::5]x/srv", "'x' after the IPv6 address is not :PORT")]
    [TestCase("smb://nas/srv", "does not start with nfs://")]
    public void ABadUrl_IsOneBadInputLineNamingTheProblemAndTheForm(string text, string problem)
    {
        var e = Assert.Throws<BadInputException>(() => NfsUrl.Parse(text, "--to"))!;

        Assert.That(e.Message, Does.StartWith($"--to {text}: "));
        Assert.That(e.Message, Does.Contain(problem));
        Assert.That(e.Message, Does.Contain("write it as nfs://HOST[:PORT]/EXPORT/PATH"));
        Assert.That(e.Message, Does.Not.Contain('\n'));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
    }

    [Test]
    public void ABackupBelowTheTarget_IsFoundRelativeToIt()
    {
        var target = NfsUrl.Parse("nfs://nas:2049/srv/sets", "--to");

        Assert.That(target.RelativePathOf(NfsUrl.Parse("nfs://nas:2049/srv/sets/web1/20261201T000000Z", "--since")),
            Is.EqualTo("web1/20261201T000000Z"));
        Assert.That(target.RelativePathOf(NfsUrl.Parse("nfs://nas/srv/sets/web1/x", "--since")), Is.Null, "another port");
        Assert.That(target.RelativePathOf(NfsUrl.Parse("nfs://other:2049/srv/sets/web1/x", "--since")), Is.Null, "another server");
        Assert.That(target.RelativePathOf(NfsUrl.Parse("nfs://nas:2049/srv/setsx/web1", "--since")), Is.Null, "a sibling, not below");
        Assert.That(target.RelativePathOf(target), Is.Null, "the target itself is no backup");
    }

    [Test]
    public void ABackupUrl_HasItsHostDirectoryAsParentAndItsIdAsName()
    {
        var backup = NfsUrl.Parse("nfs://nas/srv/sets/web1/20261201T000000Z", "BACKUP");

        Assert.That(backup.Name, Is.EqualTo("20261201T000000Z"));
        Assert.That(backup.Parent()!.ToString(), Is.EqualTo("nfs://nas/srv/sets/web1"));
        Assert.That(NfsUrl.Parse("nfs://nas/srv", "BACKUP").Parent(), Is.Null, "an export's top has no parent to mount");
        Assert.That(backup.Parent()!.Append("20261201T000000Z"), Is.EqualTo(backup));
    }
}
