# Stage 30-network: only when rk.source needs the network (nfs:, http://, tftp://) or ip= is given.
# ip=dhcp (or empty/on/any, or autoconf field dhcp) runs udhcpc with lib/udhcpc.script;
# ip=CLIENT:SERVER:GW:MASK:HOST:DEV:off configures a static address (kernel nfsroot.rst convention).
# An empty DEV picks the first interface that is not lo.

case "$RK_SOURCE" in
nfs:* | http://* | tftp://*) needed=1 ;;
*) needed= ;;
esac
[ -z "$needed" ] && [ -z "$RK_IP" ] && rk_ok "skipped: not needed for rk.source=$RK_SOURCE"
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

# NIC drivers load in 20-modules; a slow one may still be registering.
i=0
while :; do
	if [ -z "$dev" ]; then
		for d in /sys/class/net/*; do
			n=${d##*/}
			[ "$n" != lo ] && [ -e "$d" ] && dev=$n && break
		done
	fi
	[ -n "$dev" ] && [ -e "/sys/class/net/$dev" ] && break
	i=$((i + 1))
	[ "$i" -ge 20 ] && rk_fail "no network interface${dev:+ named $dev} (have: $(ls /sys/class/net | tr '\n' ' '))"
	rk_nap
done
ip link set "$dev" up || ifconfig "$dev" up || rk_fail "cannot bring up $dev"

if [ "$proto" = dhcp ]; then
	rk_have udhcpc || rk_fail "ip=dhcp but no udhcpc in the image"
	udhcpc -i "$dev" -n -q -t 5 -T 2 -s "$RK_INIT_DIR/lib/udhcpc.script" || rk_fail "no DHCP lease on $dev"
	[ -r "$RK_RUN/net.env" ] && . "$RK_RUN/net.env"
	rk_set RK_NET_DEV "$dev"
	rk_set RK_NET_ADDR "$RK_NET_ADDR"
	rk_ok "$dev dhcp $RK_NET_ADDR"
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
rk_ok "$dev static $client${gw:+ via $gw}"
