using RescueKit.Formats.Tar;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>The binary ACL xattr and the text forms GNU tar, libarchive and our writer use.</summary>
public class PosixAclTests
{
    [Test]
    public void Binary_to_text_uses_numeric_qualifiers()
    {
        Assert.That(PosixAcl.ToText(TarSample.FileAcl, PosixAcl.AccessXattr),
            Is.EqualTo("user::rw-,user:1000:r--,group::r--,group:1001:rw-,mask::rw-,other::r--"));
    }

    [TestCase("user::rw-,user:1000:r--,group::r--,group:1001:rw-,mask::rw-,other::r--")]          // ours
    [TestCase("user::rw-\nuser:alice:r--\ngroup::r--\ngroup:1001:rw-\nmask::rw-\nother::r--\n")]   // GNU tar, names
    [TestCase("user::rw-,group::r--,other::r--,user:alice:r--:1000,group:1001:rw-,mask::rw-")]    // libarchive, name:id
    [TestCase("u::rw-,u:1000:r--,g::r--,g:1001:rw-,m::rw-,o::r-- # effective")]                    // short tags, comment
    public void Every_text_form_gives_the_kernels_binary(string text)
    {
        uint? Resolve(string name, bool isGroup) => (name, isGroup) == ("alice", false) ? 1000 : null;
        Assert.That(PosixAcl.FromText(text, isAccessAcl: true, Resolve, "test"), Is.EqualTo(TarSample.FileAcl));
    }

    [Test]
    public void A_name_without_number_or_resolver_is_reported()
    {
        var ex = Assert.Throws<InvalidDataException>(() => PosixAcl.FromText("user::rw-,user:bob:r--,group::r--,mask::r--,other::---", true, null, "member at 0"));
        Assert.That(ex!.Message, Does.Contain("'bob'").And.Contain("ResolveAclName"));
    }

    [Test]
    public void An_access_acl_equal_to_the_mode_is_no_xattr_but_a_minimal_default_acl_is()
    {
        Assert.That(PosixAcl.FromText("user::rwx\ngroup::r-x\nother::r-x\n", isAccessAcl: true, null, "t"), Is.Null);
        Assert.That(PosixAcl.FromText("user::rwx\ngroup::r-x\nother::r-x\n", isAccessAcl: false, null, "t"), Has.Length.EqualTo(4 + 3 * 8));
    }

    [TestCase("user:1000:rwz")]
    [TestCase("owner::rw-")]
    [TestCase("user::")]
    public void Malformed_text_is_invalid_data(string text) =>
        Assert.Throws<InvalidDataException>(() => PosixAcl.FromText(text, true, null, "t"));
}
