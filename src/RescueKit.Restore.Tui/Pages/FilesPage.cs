using RescueKit.Core.Backup;
using RescueKit.Restore.Review;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>
/// The backup's files, one directory at a time (a catalog of millions of entries opens as fast as one directory of
/// it): Enter opens a directory, Backspace goes up, Space marks a file or a whole directory; globs can be added too.
/// </summary>
internal static class FilesPage
{
    public const string Legend = "Enter: open   Space: mark   Backspace: up   Tab: buttons   Esc: back";

    public static View Make(IApplication app, CatalogTree tree, FilePicks picks, Action<PageExit> done)
    {
        var directory = CatalogTree.Root;
        IReadOnlyList<int> children = [];
        PageLayout page = null!;
        page = new PageLayout("", 3,
            ("Restore marked", () =>
            {
                if (picks.Count == 0) MessageBox.ErrorQuery(app, "Nothing marked", "Mark files or directories with Space, or add a glob.", "OK");
                else done(PageExit.Next);
            }),
            ("Add a glob", () =>
            {
                if (FieldDialog.AskAbsolute(app, "Add a glob", "An absolute path or glob; * also matches '/', e.g. /etc/ssh/*.pub",
                        "/", "Add") is { } glob)
                    picks.Globs.Add(glob);
                Refresh();
            }));
        bool AtTop() => directory == CatalogTree.Root;
        int? NodeAt(int row) => AtTop() ? children[row] : row == 0 ? null : children[row - 1];
        void Refresh()
        {
            children = tree.Children(directory);
            page.Heading.Text = $"Files of the backup: {tree.PathOf(directory)}\nMark what to restore; a marked directory brings everything in it.";
            var rows = children.Select(c => Row(tree, c, picks.Nodes.Contains(c))).ToList();
            page.SetRows(AtTop() ? rows : ["[..] the directory above", .. rows]);
            page.Detail.Text = picks.Describe(tree);
        }
        void Open(int node)
        {
            directory = node;
            Refresh();
            page.List.Value = 0;
        }
        page.OnEnter(row =>
        {
            if (NodeAt(row) is not { } node) Open(tree.Parent(directory) ?? CatalogTree.Root);
            else if (tree.IsDirectory(node)) Open(node);
        });
        page.List.KeyDown += (_, key) =>
        {
            if (key == Key.Space && page.Selected is { } row && NodeAt(row) is { } node)
            {
                key.Handled = true;
                if (!picks.Nodes.Remove(node)) picks.Nodes.Add(node);
                Refresh();
            }
            else if (key == Key.Backspace && !AtTop())
            {
                key.Handled = true;
                Open(tree.Parent(directory) ?? CatalogTree.Root);
            }
        };
        Refresh();
        return page.Page;
    }

    private static string Row(CatalogTree tree, int node, bool marked) => tree.IsDirectory(node)
        ? $"[{(marked ? "x" : " ")}] {tree.Name(node)}/"
        : $"[{(marked ? "x" : " ")}] {tree.Name(node),-50} {ByteSize.Format(tree.Size(node)),10}";
}
