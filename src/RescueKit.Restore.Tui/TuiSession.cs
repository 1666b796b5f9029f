using RescueKit.Core;
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
    private IApplication _app = null!;
    private Window _root = null!;
    private Label _legend = null!;
    private View? _page;
    private readonly string _title;

    /// <summary>What Esc does on the current page (back, or "leave?"); null: nothing.</summary>
    private Action? _onEscape;

    /// <summary>The current page, to be built again when the UI comes back after <see cref="Outside"/>.</summary>
    private (string Legend, Func<View> Make, Action? Escape)? _current;

    /// <summary>Work the worker wants done with the UI down (a shell), and its end.</summary>
    private (Action Work, ManualResetEventSlim Done)? _outside;

    private volatile bool _stopping;
    private volatile bool _terminated;

    private TuiSession(string title) => _title = title;

    /// <summary>True once the UI is going down: a worker waiting on a page gives up.</summary>
    public bool Stopping => _stopping;

    /// <summary>The application of the UI as it is now; for the pages, on the UI thread.</summary>
    public IApplication App => _app;

    /// <summary>True when <paramref name="page"/> is the page on the screen.</summary>
    public bool Showing(View page) => ReferenceEquals(_page, page);

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread with the UI up, and returns what it returns once the UI is
    /// down again. An exception of the work comes out here, after the terminal is restored.
    /// </summary>
    public static int Run(string title, Func<TuiSession, int> work)
    {
        ConsoleSafeLook();
        // A serial console has no size until someone sets one: 80x24 is what every terminal on the line can show.
        Host.Native.TerminalSize.SetWhenUnknown(80, 24);
        var session = new TuiSession(title);
        var result = 0;
        Exception? failure = null;
        Thread? worker = null;
        // SIGTERM (init stopping, a kill) ends the UI through its own loop, so the terminal is reset on the way out.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            session._terminated = true;
            session.StopUi();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        // A hang-up (the serial line or the ssh session gone) leaves no one to answer: the same as SIGTERM.
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        // A terminal closed without a hang-up reaching us (its emulator killed, the parent shell gone) leaves the UI
        // reading nothing forever: when the process that started this one is gone, no one is at the terminal either.
        // The UI's loop may not come back from a dead terminal, so once the restore is not in the middle of a step
        // (it waits for the person, or it ended) the process ends here; a restore stopped so resumes from its markers.
        var parent = ParentProcess();
        using var orphaned = new Timer(_ =>
        {
            if (ParentProcess() == parent) return;
            if (!session._terminated)
            {
                session._terminated = true;
                session.StopUi();
                return;
            }
            if (worker is null || !worker.IsAlive || session._waiting) Environment.Exit(ExitCodes.Cancelled);
        }, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        // Set once the UI is back after Outside: the worker waits on it, so it asks for no page before there is a screen.
        ManualResetEventSlim? resumed = null;
        while (true)
        {
            using (var app = Application.Create())
            {
                app.Init(DriverRegistry.Names.ANSI);
                session.Build(app);
                session._root.IsRunningChanged += (_, e) =>
                {
                    if (!e.Value) return;
                    if (resumed is { } back)
                    {
                        resumed = null;
                        back.Set();
                        return;
                    }
                    if (worker is not null) return;
                    worker = new Thread(() =>
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
                            session.StopUi();
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
                    // The Linux console has no alternate screen: the last frame would stay behind what follows.
                    Console.Out.Write("\e[0m\e[H\e[2J");
                    Console.Out.Flush();
                }
            }
            if (session._outside is not { } outside || session._stopping) break;
            session._outside = null;
            try
            {
                outside.Work();
            }
            catch (Exception e)
            {
                session._outsideFailure = e;
            }
            resumed = outside.Done;
            if (session._stopping) break;
        }
        resumed?.Set();
        session._outside?.Done.Set();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        if (session._terminated) throw new OperationCanceledException("the terminal UI was stopped (SIGTERM or a hang-up)");
        return result;
    }

    /// <summary>The parent's pid (the 4th field of /proc/self/stat, after the parenthesised command name).</summary>
    private static int ParentProcess()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
    }

    /// <summary>The root window on a new application, with the page that was showing built again.</summary>
    private void Build(IApplication app)
    {
        _app = app;
        _root = new RootWindow(this) { Title = _title, Width = Dim.Fill(), Height = Dim.Fill() };
        _legend = new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Height = 1 };
        _root.Add(_legend);
        _page = null;
        if (_current is { } page) Place(page.Legend, page.Make, page.Escape);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the terminal with the UI down (a shell the person types in: the UI would read
    /// their keys), then brings the UI back with the page it showed. Called from the worker thread.
    /// </summary>
    public void Outside(Action work)
    {
        using var done = new ManualResetEventSlim();
        _outside = (work, done);
        _app.Invoke(() => _app.RequestStop());
        while (!done.Wait(200))
            if (_stopping) throw new OperationCanceledException("the terminal UI was stopped");
        if (Interlocked.Exchange(ref _outsideFailure, null) is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private Exception? _outsideFailure;

    /// <summary>Ends the UI from any thread; between two applications (a shell running) the loop ends by itself.</summary>
    private void StopUi()
    {
        _stopping = true;
        try
        {
            _app.Invoke(() => _app.RequestStop());
        }
        catch (NotInitializedException)
        {
            // No UI up at this moment.
        }
    }

    /// <summary>Glyphs every console font has, colours every terminal shows.</summary>
    private static void ConsoleSafeLook()
    {
        Driver.Force16Colors = true;
        WindowSettings.Current = WindowSettings.Current with { DefaultBorderStyle = LineStyle.Single, DefaultShadow = ShadowStyles.None };
        DialogSettings.Current = DialogSettings.Current with { DefaultBorderStyle = LineStyle.Single, DefaultShadow = ShadowStyles.None };
        FrameViewSettings.Current = FrameViewSettings.Current with { DefaultBorderStyle = LineStyle.Single };
        // The half-block shadow is not in the Linux console's font either.
        ButtonSettings.Current = ButtonSettings.Current with { DefaultShadow = ShadowStyles.None };
        MessageBoxSettings.Current = MessageBoxSettings.Current with { DefaultBorderStyle = LineStyle.Single };
        GlyphSettings.Current = GlyphSettings.Current with
        {
            LeftBracket = new Rune('['), RightBracket = new Rune(']'),
            LeftDefaultIndicator = new Rune('<'), RightDefaultIndicator = new Rune('>'),
            CheckStateChecked = new Rune('x'), CheckStateUnChecked = new Rune(' '), CheckStateNone = new Rune('-'),
            Selected = new Rune('*'), UnSelected = new Rune(' '),
        };
    }

    /// <summary>Shows <paramref name="make"/>'s page until another replaces it (progress); from any thread.</summary>
    public void Show(string legend, Func<View> make, Action? escape = null)
    {
        _current = (legend, make, escape);
        _app.Invoke(() => Place(legend, make, escape));
    }

    private void Place(string legend, Func<View> make, Action? escape)
    {
        var page = make();
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
        _onEscape = escape;
        page.SetFocus();
    }

    /// <summary>
    /// Shows the page <paramref name="make"/> builds (on the UI thread) and waits for it to call its completion with the
    /// person's answer. <paramref name="legend"/> is the key legend at the foot; <paramref name="escape"/> what Esc
    /// answers (null: Esc does nothing on this page).
    /// </summary>
    public T Ask<T>(string legend, Func<Action<T>, View> make, Func<T>? escape = null)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Show(legend, () => make(value => answer.TrySetResult(value)), escape is null ? null : () => answer.TrySetResult(escape()));
        return Wait(answer.Task);
    }

    private T Wait<T>(Task<T> task)
    {
        _waiting = true;
        try
        {
            while (!task.Wait(200))
                if (_stopping) throw new OperationCanceledException("the terminal UI was stopped");
            return task.Result;
        }
        finally
        {
            _waiting = false;
        }
    }

    /// <summary>True while the worker waits for the person (a page, a box).</summary>
    private volatile bool _waiting;

    /// <summary>Runs <paramref name="ask"/> on the UI thread (a dialog) and waits for its answer, from the worker.</summary>
    public T OnUi<T>(Func<T> ask)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _app.Invoke(() => answer.TrySetResult(ask()));
        return Wait(answer.Task);
    }

    /// <summary>A question in a box over the page, asked from the worker thread: the button pressed, null for Esc.</summary>
    public int? AskQuery(string title, string message, params string[] buttons) => OnUi(() => MessageBox.Query(_app, title, message, buttons));

    /// <summary>Runs <paramref name="action"/> on the UI thread (a progress update).</summary>
    public void Post(Action action) => _app.Invoke(action);


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
            if (oldIsRunning && !newIsRunning && !session._stopping && session._outside is null)
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
