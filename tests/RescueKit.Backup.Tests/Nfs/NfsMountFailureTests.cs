using RescueKit.Backup.Nfs;
using RescueKit.Core;
using RescueKit.Host;

namespace RescueKit.Backup.Tests.Nfs;

/// <summary>
/// The error a failed NFS mount gives, for what mount.nfs (nfs-common 2.6.2) really printed: in the VM lab against
/// NFS-Ganesha (a missing path, a port with no server, an address QEMU's restricted network drops, NFSv3 against a
/// v4-only server), and on the build machine, whose kernel has no NFS client.
/// </summary>
public class NfsMountFailureTests
{
    private static readonly NfsUrl Url = NfsUrl.Parse("nfs://10.0.2.100:2049/export/sets", "--to");

    [TestCase("mount.nfs4: No such device\n", ExitCodes.MissingPrerequisite, "this kernel has no NFS client", "modprobe nfsv4")]
    [TestCase("mount.nfs4: mounting 10.0.2.100:/export/nope failed, reason given by server: No such file or directory\n",
        ExitCodes.BadInput, "the server has no export or directory /export/sets", "create it on the server")]
    [TestCase("mount.nfs4: access denied by server while mounting 10.0.2.100:/export/sets\n",
        ExitCodes.BadInput, "refuses to export /export/sets to this machine", "allow this client")]
    [TestCase("mount.nfs4: Connection refused\n", ExitCodes.Failed, "nothing serves NFS on 10.0.2.100:2049", "start the NFS server")]
    [TestCase("mount.nfs4: No route to host\n", ExitCodes.Failed, "the NFS server 10.0.2.100 is unreachable", "check the address")]
    [TestCase("mount.nfs: Connection timed out\n", ExitCodes.Failed, "is unreachable (mount.nfs: Connection timed out)", "then try again")]
    public void AFailedMount_IsOneLineNamingTheCauseAndTheFix(string stderr, int exitCode, string cause, string fix)
    {
        var failed = new ToolFailedException(new ToolResult(["mount", "-t", "nfs4"], 32, "", stderr));

        var e = NfsMountFailure.Exception(failed, Url);

        Assert.That(e.ExitCode, Is.EqualTo(exitCode));
        Assert.That(e.Message, Does.StartWith("cannot mount nfs://10.0.2.100:2049/export/sets"));
        Assert.That(e.Message, Does.Contain(cause).And.Contain(fix));
        Assert.That(e.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void OnlyAServerWithoutNfsV4_LeadsToTheV3Retry()
    {
        Assert.That(NfsMountFailure.Classify("mount.nfs4: Protocol not supported\n"), Is.EqualTo(NfsMountFailure.Reason.VersionNotSupported));
        Assert.That(NfsMountFailure.Classify("mount.nfs4: Connection refused\n"), Is.Not.EqualTo(NfsMountFailure.Reason.VersionNotSupported));
        Assert.That(NfsMountFailure.Classify("mount.nfs4: something new\n"), Is.Null);
    }

    [Test]
    public void AnUnknownFailure_KeepsWhatMountSaid()
    {
        var failed = new ToolFailedException(new ToolResult(["mount", "-t", "nfs4"], 32, "", "mount.nfs4: something new\n"));

        var e = NfsMountFailure.Exception(failed, Url);

        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.Failed));
        Assert.That(e.Message, Does.Contain("something new"));
    }
}
