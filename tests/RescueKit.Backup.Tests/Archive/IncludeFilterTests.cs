using System.Text;
using RescueKit.Backup.Archive;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>`--include` globs over the host's absolute paths, for sets mounted at / and elsewhere.</summary>
public sealed class IncludeFilterTests
{
    private static bool Wants(IncludeFilter f, string member, bool directory = false) => f.Wants(Encoding.UTF8.GetBytes(member), directory);

    [Test]
    public void AGlobTakesWhatMatches_AndTheDirectoriesAboveIt_ButNotTheirOtherFiles()
    {
        var f = new IncludeFilter(["/etc/ssh/*.pub"], "/");

        Assert.That(Wants(f, "etc/ssh/ssh_host_ed25519_key.pub"), Is.True);
        Assert.That(Wants(f, "./etc/ssh/ssh_host_ed25519_key.pub"), Is.True, "GNU tar's ./ prefix");
        Assert.That(Wants(f, "etc/ssh/ssh_host_ed25519_key"), Is.False);
        Assert.That(Wants(f, "etc", directory: true), Is.True, "the directory above, for its mode and owner");
        Assert.That(Wants(f, "etc/ssh/", directory: true), Is.True);
        Assert.That(Wants(f, "etc/passwd"), Is.False);
        Assert.That(Wants(f, "var", directory: true), Is.False);
    }

    [Test]
    public void ADirectoryNamedTakesEverythingInIt()
    {
        var f = new IncludeFilter(["/home/alice"], "/home");

        Assert.That(Wants(f, "alice", directory: true), Is.True);
        Assert.That(Wants(f, "alice/deep/down/file.txt"), Is.True);
        Assert.That(Wants(f, "alicia/file.txt"), Is.False, "a name that only starts the same is another directory");
        Assert.That(Wants(f, "bob/file.txt"), Is.False);
        Assert.That(Wants(f, ".", directory: true), Is.True, "the set's root, /home itself");
    }

    [Test]
    public void AStarAlsoMatchesSlashes()
    {
        var f = new IncludeFilter(["*.conf"], "/");

        Assert.That(Wants(f, "etc/deep/x.conf"), Is.True);
        Assert.That(Wants(f, "etc/deep/x.txt"), Is.False);
    }

    [TestCase("/etc/*", "/home", false)]
    [TestCase("/etc/*", "/", true)]
    [TestCase("/home/alice/*", "/home", true)]
    [TestCase("/boot/efi/EFI/*", "/boot", true)]
    [TestCase("*.conf", "/boot/efi", true)]
    public void SetsThatCannotHoldAMatchAreNotRead(string glob, string mountPoint, bool read) =>
        Assert.That(IncludeFilter.CanMatchUnder([glob], mountPoint), Is.EqualTo(read));
}
