# Stage 30-network: when rk.source needs the network (nfs:, http://, tftp://), ip= is given, or the system was
# booted from the network (BOOTIF=, docs/pxe.md).
# Which NIC: the DEV field of ip= when it names one; else the NIC whose MAC is BOOTIF (pxelinux IPAPPEND 2, RescueKit's
# GRUB and iPXE entries: the NIC that booted, so the one on the boot server's network); else the first that is not lo.
# How: ip=dhcp (or empty/on/any, or autoconf field dhcp), and by default, runs udhcpc with lib/udhcpc.script;
# ip=CLIENT:SERVER:GW:MASK:HOST:DEV:off|none configures a static address (kernel nfsroot.rst convention).

case "$RK_SOURCE" in
nfs:* | http://* | tftp://*) needed=1 ;;
*) needed= ;;
esac
[ -z "$needed" ] && [ -z "$RK_IP" ] && [ -z "$RK_BOOTIF" ] && rk_ok "skipped: not needed for rk.source=$RK_SOURCE"
[ "$RK_IP" = off ] || [ "$RK_IP" = none ] && rk_ok "skipped: ip=$RK_IP"
# The NIC's driver may be one of those kept on the medium.
rk_wait_devices

ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

# ip=<client>:<server>:<gw>:<mask>:<host>:<dev>:<autoconf>:<dns0>:<dns1>
old_ifs=$IFS
IFS=:
set -f
# shellcheck disable=SC2086 # split on ':' on purpose
set -- ${RK_IP:-dhcp}
set +f
IFS=$old_ifs
case "$1" in
dhcp | on | any | "") proto=dhcp client= gw= mask= host= dev= dns0= dns1= ;;
*)
	client=$1 gw=$3 mask=$4 host=$5 dev=$6 dns0=$8 dns1=$9
	case "$7" in
	dhcp | on | any | both) proto=dhcp ;;
	*) proto=static ;;
	esac
	;;
esac

# Prints the interface whose MAC is $1 (lower case, colons), 1 when none has it.
nic_with_mac() {
	for d in /sys/class/net/*; do
		[ -r "$d/address" ] || continue
		read -r a <"$d/address"
		[ "$a" = "$1" ] && echo "${d##*/}" && return 0
	done
	return 1
}

# NIC drivers load in 20-modules; a slow one may still be registering.
why=
i=0
while :; do
	if [ -n "$dev" ]; then
		[ -e "/sys/class/net/$dev" ] && break
	elif [ -n "$RK_BOOTIF" ]; then
		d=$(nic_with_mac "$RK_BOOTIF") && dev=$d why="the NIC that booted, $RK_BOOTIF" && break
	else
		for d in /sys/class/net/*; do
			n=${d##*/}
			[ "$n" != lo ] && [ -e "$d" ] && dev=$n && break
		done
		[ -n "$dev" ] && break
	fi
	i=$((i + 1))
	if [ "$i" -ge 20 ]; then
		have=$(for d in /sys/class/net/*; do printf '%s ' "${d##*/}=$(cat "$d/address" 2>/dev/null)"; done)
		[ -n "$RK_BOOTIF" ] && [ -z "$dev" ] && rk_fail "no network interface has the MAC that booted, BOOTIF $RK_BOOTIF (have: $have)"
		rk_fail "no network interface${dev:+ named $dev} (have: $have)"
	fi
	rk_nap
done
[ -z "$why" ] && read -r mac <"/sys/class/net/$dev/address" && why=$mac
ip link set "$dev" up || ifconfig "$dev" up || rk_fail "cannot bring up $dev"

if [ "$proto" = dhcp ]; then
	rk_have udhcpc || rk_fail "ip=dhcp but no udhcpc in the image"
	udhcpc -i "$dev" -n -q -t 5 -T 2 -s "$RK_INIT_DIR/lib/udhcpc.script" || rk_fail "no DHCP lease on $dev ($why)"
	[ -r "$RK_RUN/net.env" ] && . "$RK_RUN/net.env"
	rk_set RK_NET_DEV "$dev"
	rk_set RK_NET_ADDR "$RK_NET_ADDR"
	rk_ok "$dev ($why) dhcp $RK_NET_ADDR"
fi

[ -n "$client" ] && [ -n "$mask" ] || rk_fail "ip=$RK_IP: static configuration needs CLIENT and MASK"
ifconfig "$dev" "$client" netmask "$mask" up || rk_fail "cannot set $client/$mask on $dev"
if [ -n "$gw" ]; then
	route add default gw "$gw" dev "$dev" || rk_fail "cannot add default route via $gw"
fi
[ -n "$host" ] && hostname "$host"
if [ -n "$dns0$dns1" ]; then
	: >/etc/resolv.conf
	for ns in $dns0 $dns1; do echo "nameserver $ns" >>/etc/resolv.conf; done
fi
rk_set RK_NET_DEV "$dev"
rk_set RK_NET_ADDR "$client"
rk_ok "$dev ($why) static $client${gw:+ via $gw}"
