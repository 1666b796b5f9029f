# Stage 50-raid: assemble existing md arrays, only for rk.mode=compare|expert (restore modes recreate them).

case "$RK_MODE" in
compare | expert) ;;
*) rk_ok "skipped: not needed for mode $RK_MODE" ;;
esac
# The disk controllers' drivers may be among those kept on the medium.
rk_wait_devices
rk_have mdadm || rk_ok "skipped: no mdadm in the image"
modprobe -q -a md_mod raid0 raid1 raid10 raid456 linear 2>/dev/null
# Exit 1 with nothing to assemble is normal on a blank or replacement machine.
mdadm --assemble --scan
rc=$?
arrays=$(grep -c '^md' /proc/mdstat 2>/dev/null)
rk_ok "${arrays:-0} md arrays active (mdadm exit $rc)"
