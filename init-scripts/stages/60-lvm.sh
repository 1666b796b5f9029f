# Stage 60-lvm: activate existing LVM volume groups, only for rk.mode=compare|expert.

case "$RK_MODE" in
compare | expert) ;;
*) rk_ok "skipped: not needed for mode $RK_MODE" ;;
esac
# The disk controllers' drivers may be among those kept on the medium.
rk_wait_devices
rk_have lvm || rk_ok "skipped: no lvm in the image"
modprobe -q dm_mod 2>/dev/null
# Nothing to activate is normal on a blank or replacement machine.
lvm vgchange -ay
rc=$?
lvs=$(ls /dev/mapper 2>/dev/null | grep -vc '^control$')
rk_ok "${lvs:-0} device-mapper volumes (vgchange exit $rc)"
