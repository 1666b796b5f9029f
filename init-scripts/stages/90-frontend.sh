# rk-stage: console
# Stage 90-frontend: hand the console to the front-end. rk.mode=selftest runs `rescuekit selftest`, prints
# its exit code and powers off; its stage line fails when the self-test or any earlier stage failed. Other modes run `rescuekit restore --mode MODE` with the rk.* options; when it
# returns, /init gives a shell and reboots after it, unless rk.unattended with rk.after=reboot|poweroff says what to do
# instead: then it does that, also when the restore failed (its line and the log say so first), so an unattended
# restore never waits at a shell for a key no one will press.

# The front-end reads what the stages found (RK_MEDIA_DEV, RK_BACKUP_DIR, RK_BACKUP_URL, RK_NET_*) from here.
set -a
. "$RK_RUN/cmdline.env"
. "$RK_STATE"
set +a

if [ "$RK_MODE" = selftest ]; then
	rk_wait_devices
	if rk_have rescuekit; then
		rescuekit selftest
		rc=$?
	else
		echo "[rk] /usr/bin/rescuekit is missing from the image"
		rc=127
	fi
	echo "[rk] selftest exit code: $rc"
	failed=$(cat "$RK_RUN/failed-stages" 2>/dev/null | tr '\n' ' ')
	if [ "$rc" -ne 0 ]; then
		rk_say "[rk] stage 90-frontend: failed (selftest exit $rc${failed:+; failed stages: ${failed% }})"
	elif [ -n "$failed" ]; then
		rk_say "[rk] stage 90-frontend: failed (selftest passed; failed stages: ${failed% })"
	else
		rk_say "[rk] stage 90-frontend: ok (selftest passed)"
	fi
	sync
	poweroff -f
fi

rk_have rescuekit || rk_fail "/usr/bin/rescuekit is missing from the image"
set -- restore --mode "$RK_MODE"
[ -n "$RK_UNATTENDED" ] && set -- "$@" --unattended
[ -n "$RK_NORESIZE" ] && set -- "$@" --no-resize
[ -n "$RK_NOPART" ] && set -- "$@" --no-part
[ -n "$RK_SOURCE_GIVEN" ] && set -- "$@" --source "$RK_SOURCE"
rk_log "running rescuekit $*"
rk_on_console rescuekit "$@"
rc=$?
if [ -n "$RK_UNATTENDED" ] && [ -n "$RK_AFTER" ]; then
	if [ "$rc" -eq 0 ]; then rk_say "[rk] stage 90-frontend: ok (rescuekit exited 0; rk.after=$RK_AFTER)"
	else rk_say "[rk] stage 90-frontend: failed (rescuekit exited $rc; rk.after=$RK_AFTER)"; fi
	sync
	if [ "$RK_AFTER" = reboot ]; then reboot -f; else poweroff -f; fi
fi
[ "$rc" -eq 0 ] || rk_fail "rescuekit exited $rc"
rk_ok "rescuekit exited 0"
