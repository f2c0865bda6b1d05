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
        <location filename="../../kiosk/screens/card.py" line="38"/>
        <source>New joiner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="42"/>
        <source>Today, meet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="68"/>
        <source>Tell colleagues you&apos;re in today? Hallway posts it on the company network. You can change this at any check-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="72"/>
        <source>Yes, share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="72"/>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="73"/>
        <source>Not now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="83"/>
        <source>Tap anywhere to finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="93"/>
        <source>Open on your phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="113"/>
        <source>✓  You&apos;re checked in, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="119"/>
        <source>%1 office</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="126"/>
        <source>Ask me about %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="151"/>
        <source>Starts soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="153"/>
        <source>Joined today</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="155"/>
        <source>Joined %n day(s) ago</source>
        <translation>
            <numerusform>Joined %n day ago</numerusform>
            <numerusform>Joined %n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="157"/>
        <source>Joined %n week(s) ago</source>
        <translation>
            <numerusform>Joined %n week ago</numerusform>
            <numerusform>Joined %n weeks ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="159"/>
        <source>Joined %n month(s) ago</source>
        <translation>
            <numerusform>Joined %n month ago</numerusform>
            <numerusform>Joined %n months ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="160"/>
        <source>Joined %n year(s) ago</source>
        <translation>
            <numerusform>Joined %n year ago</numerusform>
            <numerusform>Joined %n years ago</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="164"/>
        <source>Thanks. Your colleagues will see that you&apos;re in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="165"/>
        <source>Fine: your check-in stays private.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../kiosk/window.py" line="54"/>
        <source>Hallway lobby</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="101"/>
        <source>That badge didn&apos;t read properly. Please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="175"/>
        <source>Read %1 characters in %2 ms: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="177"/>
        <source>a linked badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="177"/>
        <source>not linked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="186"/>
        <source>Thanks, you&apos;re checked in. Your colleague of the day will be here once Hallway is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="217"/>
        <source>You&apos;re checked in. There is nobody else to meet yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/window.py" line="235"/>
        <source>Quiz: right! %n in a row.</source>
        <translation>
            <numerusform>Quiz: right! %n in a row.</numerusform>
            <numerusform>Quiz: right! %n in a row.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="236"/>
        <source>Quiz: now you know. See you at the coffee machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="238"/>
        <source>You already checked in today. Here is your colleague again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="302"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="304"/>
        <source>Not connected: IT needs to renew the kiosk&apos;s sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/window.py" line="306"/>
        <source>%n check-in(s) waiting to send</source>
        <translation>
            <numerusform>%n check-in waiting to send</numerusform>
            <numerusform>%n check-ins waiting to send</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="313"/>
        <source>Office: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="314"/>
        <source>Connection: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="315"/>
        <source>Colleagues in the directory: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="316"/>
        <source>Check-ins waiting to send: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="317"/>
        <source>Linked badges: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="318"/>
        <source>Photos cached: %1 MB</source>
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
        <location filename="../../kiosk/screens/welcome.py" line="88"/>
        <source>Good morning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="89"/>
        <source>Good afternoon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="89"/>
        <source>Good evening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="96"/>
        <source>Scan your badge to check in, or find your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="99"/>
        <source>Getting ready…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="100"/>
        <source>Hallway is fetching your colleagues. You can still scan your badge: your check-in will be kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/welcome.py" line="109"/>
        <source>%n colleague(s) in today</source>
        <translation>
            <numerusform>%n colleague in today</numerusform>
            <numerusform>%n colleagues in today</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="110"/>
        <source>Be the first one in today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="115"/>
        <source>Quiz streaks: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
