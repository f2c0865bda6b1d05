<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Admin</name>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="30"/>
        <source>Admin PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="44"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="53"/>
        <source>Kiosk admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="57"/>
        <source>Badge reader test: scan a badge now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="63"/>
        <source>Resync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="65"/>
        <source>Back to the lobby</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="67"/>
        <source>Exit Hallway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="83"/>
        <source>No admin PIN is set on this kiosk. IT sets kiosk.admin_pin_hash in the machine config (hallway-kiosk --hash-pin).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="100"/>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="106"/>
        <source>Wrong PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="106"/>
        <source>Try again in %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Card</name>
    <message>
        <location filename="../../kiosk/screens/card.py" line="41"/>
        <source>New joiner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="45"/>
        <source>Today, meet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="75"/>
        <source>Tell colleagues you&apos;re in today? Hallway posts it on the company network. You can change this at any check-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="80"/>
        <source>Yes, share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="80"/>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="81"/>
        <source>Not now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="92"/>
        <source>Tap anywhere to finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="102"/>
        <location filename="../../kiosk/screens/card.py" line="159"/>
        <source>Open on your phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="123"/>
        <source>✓  You&apos;re checked in, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="129"/>
        <source>%1 office</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="137"/>
        <source>Ask me about %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="159"/>
        <source>Say hi from your phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="166"/>
        <source>In today: find them here in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="168"/>
        <source>In the %1 office today: say hi on the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="170"/>
        <source>Works in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="172"/>
        <source>Works in %1: say hi on the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="180"/>
        <source>Starts soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="182"/>
        <source>Joined today</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="184"/>
        <source>Joined %n day(s) ago</source>
        <translation>
            <numerusform>Joined %n day ago</numerusform>
            <numerusform>Joined %n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="186"/>
        <source>Joined %n week(s) ago</source>
        <translation>
            <numerusform>Joined %n week ago</numerusform>
            <numerusform>Joined %n weeks ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="188"/>
        <source>Joined %n month(s) ago</source>
        <translation>
            <numerusform>Joined %n month ago</numerusform>
            <numerusform>Joined %n months ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="189"/>
        <source>Joined %n year(s) ago</source>
        <translation>
            <numerusform>Joined %n year ago</numerusform>
            <numerusform>Joined %n years ago</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="193"/>
        <source>Thanks. Your colleagues will see that you&apos;re in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="194"/>
        <source>Fine: your check-in stays private.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataInUse</name>
    <message>
        <location filename="../../kiosk/data_wait.py" line="35"/>
        <source>Starting in a moment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/data_wait.py" line="37"/>
        <source>Check-in will be ready shortly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/data_wait.py" line="53"/>
        <source>For IT: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../kiosk/window.py" line="63"/>
        <source>Hallway lobby</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="118"/>
        <source>That badge didn&apos;t read properly. Please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="190"/>
        <source>Read %1 characters in %2 ms: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="192"/>
        <source>a linked badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="192"/>
        <source>not linked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="201"/>
        <source>Thanks, you&apos;re checked in. Your colleague of the day will be here once Hallway is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="232"/>
        <source>You&apos;re checked in. There is nobody else to meet yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/window.py" line="252"/>
        <source>Quiz: right! %n in a row.</source>
        <translation>
            <numerusform>Quiz: right! %n in a row.</numerusform>
            <numerusform>Quiz: right! %n in a row.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="253"/>
        <source>Quiz: now you know. See you at the coffee machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="254"/>
        <source>Quiz: now you know.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="256"/>
        <source>You already checked in today. Here is your colleague again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="322"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="324"/>
        <source>Not syncing: IT can see why in the admin panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="326"/>
        <source>Not connected: IT needs to renew the kiosk&apos;s sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/window.py" line="328"/>
        <source>%n check-in(s) waiting to send</source>
        <translation>
            <numerusform>%n check-in waiting to send</numerusform>
            <numerusform>%n check-ins waiting to send</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="335"/>
        <source>Office: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="336"/>
        <source>Connection: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="337"/>
        <source>Colleagues in the directory: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="338"/>
        <source>Check-ins waiting to send: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="339"/>
        <source>Linked badges: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="340"/>
        <source>Photos cached: %1 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="351"/>
        <source>Problem: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="352"/>
        <source>Note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="354"/>
        <source>Profile facts from: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="356"/>
        <source>The local data was damaged and was set aside: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuizScreen</name>
    <message>
        <location filename="../../kiosk/screens/quiz.py" line="28"/>
        <source>Who is this?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/quiz.py" line="30"/>
        <source>Your colleague of the day. A guess is fine: only you see your streak.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/quiz.py" line="48"/>
        <source>I don&apos;t know</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Search</name>
    <message>
        <location filename="../../kiosk/screens/search.py" line="34"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="66"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="73"/>
        <source>Space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="86"/>
        <source>We don&apos;t know this badge yet. Find your name once, and next time your badge is enough.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="87"/>
        <source>Find your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="101"/>
        <source>Type the first letters of your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="103"/>
        <source>Results appear after two letters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="105"/>
        <source>Nobody found. Check the spelling, or try your first name only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="107"/>
        <source>Tap your name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../desktop/tray.py" line="30"/>
        <source>Open Hallway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="31"/>
        <source>Colleague of the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="32"/>
        <source>Who&apos;s in the office today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="34"/>
        <source>Do not disturb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="36"/>
        <source>For 1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="36"/>
        <source>Until tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="37"/>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="44"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="46"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="47"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="48"/>
        <source>Quit Hallway</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="27"/>
        <source>Welcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="42"/>
        <source>Find my name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="55"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="87"/>
        <source>Good morning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="88"/>
        <source>Good afternoon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="88"/>
        <source>Good evening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="95"/>
        <source>Scan your badge to check in, or find your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="98"/>
        <source>Getting ready…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="99"/>
        <source>Hallway is fetching your colleagues. You can still scan your badge: your check-in will be kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/welcome.py" line="108"/>
        <source>%n colleague(s) in today</source>
        <translation>
            <numerusform>%n colleague in today</numerusform>
            <numerusform>%n colleagues in today</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="109"/>
        <source>Be the first one in today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="114"/>
        <source>Quiz streaks: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
