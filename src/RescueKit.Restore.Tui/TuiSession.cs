using System.Runtime.InteropServices;
using System.Text;
using Terminal.Gui.App;
using Terminal.Gui.Configuration;
using Terminal.Gui.Drawing;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui;

/// <summary>
/// The terminal UI's one application: a full-screen window whose page changes as the restore goes, with a legend of
/// keys at its foot. The restore itself runs on a worker thread and asks for a page (<see cref="Ask{T}"/>) when it needs
/// the person; the UI thread only draws and takes keys. Made for the consoles a dead server has: 16 colours, single
/// line borders and ASCII brackets (the Linux console's font has no rounded corners), Esc as "back" rather than "quit",
/// and the terminal given back as it was on every way out (the end, an exception, SIGTERM).
/// </summary>
public sealed class TuiSession
{
    private readonly IApplication _app;
    private readonly Window _root;
    private readonly Label _legend;
    private View? _page;

    /// <summary>What Esc does on the current page (back, or "leave?"); null: nothing.</summary>
    private Action? _onEscape;

    private TuiSession(IApplication app, string title)
    {
        _app = app;
        _root = new RootWindow(this) { Title = title, Width = Dim.Fill(), Height = Dim.Fill() };
        _legend = new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Height = 1 };
        _root.Add(_legend);
    }

    public IApplication App => _app;

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread with the UI up, and returns what it returns once the UI is
    /// down again. An exception of the work comes out here, after the terminal is restored.
    /// </summary>
    public static int Run(string title, Func<TuiSession, int> work)
    {
        ConsoleSafeLook();
        using var app = Application.Create();
        app.Init(DriverRegistry.Names.ANSI);
        var session = new TuiSession(app, title);
        var result = 0;
        Exception? failure = null;
        // SIGTERM (init stopping, a kill) ends the UI through its own loop, so the terminal is reset on the way out.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            session._terminated = true;
            session._stopping = true;
            app.Invoke(() => app.RequestStop());
        });
        session._root.IsRunningChanged += (_, e) =>
        {
            if (!e.Value) return;
            var worker = new Thread(() =>
            {
                try
                {
                    result = work(session);
                }
                catch (Exception e2)
                {
                    failure = e2;
                }
                finally
                {
                    session._stopping = true;
                    app.Invoke(() => app.RequestStop());
                }
            }) { IsBackground = true, Name = "restore" };
            worker.Start();
        };
        try
        {
            app.Run(session._root, e =>
            {
                failure ??= e;
                session._stopping = true;
                return false;
            });
        }
        finally
        {
            session._root.Dispose();
            // The Linux console has no alternate screen: the last frame would stay behind the plain lines that follow.
            Console.Out.Write("\e[0m\e[H\e[2J");
            Console.Out.Flush();
        }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        if (session._terminated) throw new OperationCanceledException("the terminal UI was stopped (SIGTERM)");
        return result;
    }

    private volatile bool _stopping;
    private volatile bool _terminated;

    /// <summary>True once the UI is going down: a worker waiting on a page gives up.</summary>
    public bool Stopping => _stopping;

    /// <summary>Glyphs every console font has, colours every terminal shows.</summary>
    private static void ConsoleSafeLook()
    {
        Driver.Force16Colors = true;
        WindowSettings.Current = WindowSettings.Current with { DefaultBorderStyle = LineStyle.Single, DefaultShadow = ShadowStyles.None };
        DialogSettings.Current = DialogSettings.Current with { DefaultBorderStyle = LineStyle.Single, DefaultShadow = ShadowStyles.None };
        FrameViewSettings.Current = FrameViewSettings.Current with { DefaultBorderStyle = LineStyle.Single };
        MessageBoxSettings.Current = MessageBoxSettings.Current with { DefaultBorderStyle = LineStyle.Single };
        GlyphSettings.Current = GlyphSettings.Current with
        {
            LeftBracket = new Rune('['), RightBracket = new Rune(']'),
            LeftDefaultIndicator = new Rune('<'), RightDefaultIndicator = new Rune('>'),
            CheckStateChecked = new Rune('x'), CheckStateUnChecked = new Rune(' '), CheckStateNone = new Rune('-'),
            Selected = new Rune('*'), UnSelected = new Rune(' '),
        };
    }

    /// <summary>
    /// Shows the page <paramref name="make"/> builds (on the UI thread) and waits for it to call its completion with the
    /// person's answer. <paramref name="legend"/> is the key legend at the foot; <paramref name="escape"/> what Esc
    /// answers (null: Esc does nothing on this page).
    /// </summary>
    public T Ask<T>(string legend, Func<Action<T>, View> make, Func<T>? escape = null)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _app.Invoke(() =>
        {
            var page = make(value => answer.TrySetResult(value));
            page.X = 0;
            page.Y = 0;
            page.Width = Dim.Fill();
            page.Height = Dim.Fill(1);
            if (_page is not null)
            {
                _root.Remove(_page);
                _page.Dispose();
            }
            _page = page;
            _root.Add(page);
            _legend.Text = legend + "   ? help";
            _onEscape = escape is null ? null : () => _ = answer.TrySetResult(escape());
            page.SetFocus();
        });
        while (!answer.Task.Wait(200))
            if (_stopping) throw new OperationCanceledException("the terminal UI was stopped");
        return answer.Task.Result;
    }

    /// <summary>Runs <paramref name="action"/> on the UI thread (a progress update).</summary>
    public void Post(Action action) => _app.Invoke(action);

    /// <summary>A question in a box over the page, on the UI thread: the index of the button pressed, null for Esc.</summary>
    public int? Query(string title, string message, params string[] buttons) => MessageBox.Query(_app, title, message, buttons);

    private const string HelpText =
        "Keys: Tab / Shift+Tab move between the list and the buttons, the arrows move in a list, Enter chooses or edits " +
        "the line under the cursor or presses the button, Esc goes back one page (on the first page it asks whether to " +
        "leave). No function key is needed.\n\n" +
        "Nothing is written to a disk before the page where you type the name of each disk to be erased.\n\n" +
        "The restore's log is /run/rescuekit/restore/restore.log; the expert shell is offered when a step fails.";

    /// <summary>The window under every page: Esc and ? are its keys, and it stops only when the restore is over.</summary>
    private sealed class RootWindow(TuiSession session) : Window
    {
        protected override bool OnIsRunningChanging(bool oldIsRunning, bool newIsRunning)
        {
            // Esc reaches the application's quit command as a stop request: here it means "back".
            if (oldIsRunning && !newIsRunning && !session._stopping)
            {
                session._onEscape?.Invoke();
                return true;
            }
            return base.OnIsRunningChanging(oldIsRunning, newIsRunning);
        }

        protected override bool OnKeyDown(Key key)
        {
            if (key == Key.Esc && !session._stopping)
            {
                session._onEscape?.Invoke();
                return true;
            }
            if (key.AsRune.Value == '?' && App?.Navigation?.GetFocused() is not TextField)
            {
                MessageBox.Query(App!, "Help", HelpText, "OK");
                return true;
            }
            return base.OnKeyDown(key);
        }
    }
}
