// A departmental web application and its API signing in with Hitotsu (docs/integration/aspnet-core.md).
// Every value comes from the "Hitotsu" section of appsettings.json, which oidc/AspNetCoreGuideTests
// in the Hitotsu project reads to replay this handler's exchange against a running server.
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

var builder = WebApplication.CreateBuilder(args);
var hitotsu = builder.Configuration.GetSection("Hitotsu");

builder.Services
    .AddAuthentication(options =>
    {
        // pages: the person's login lives in a cookie; without one, off to Hitotsu
        options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
    })
    .AddCookie()
    .AddOpenIdConnect(options =>
    {
        options.Authority = hitotsu["Authority"];
        options.ClientId = hitotsu["ClientId"];
        // in production from the environment (Hitotsu__ClientSecret) or a secret store, not from this file
        options.ClientSecret = hitotsu["ClientSecret"];
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        // Hitotsu answers on the redirect URI's query; it does not implement form_post (the handler's default)
        options.ResponseMode = hitotsu["ResponseMode"]!;
        // .NET 9: pushes the request to Hitotsu's PAR endpoint first (remove this line on .NET 8, which has no PAR)
        options.PushedAuthorizationBehavior = hitotsu.GetValue<PushedAuthorizationBehavior>("PushedAuthorization");
        options.Scope.Clear();
        foreach (var scope in hitotsu.GetSection("Scopes").Get<string[]>()!)
        {
            options.Scope.Add(scope);
        }
        options.CallbackPath = hitotsu["CallbackPath"];
        options.SignedOutCallbackPath = hitotsu["SignedOutCallbackPath"];
        // keeps the ID token in the cookie: sign-out sends it to Hitotsu as id_token_hint
        options.SaveTokens = true;
        options.GetClaimsFromUserInfoEndpoint = true;
        // claim types as Hitotsu names them (sub, name, roles), not mapped to the long WS-* URIs
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = hitotsu["NameClaimType"];
        options.TokenValidationParameters.RoleClaimType = hitotsu["RoleClaimType"];
    })
    .AddJwtBearer(options =>
    {
        // the API: access tokens from the same realm, issued to the audience configured
        options.Authority = hitotsu["Authority"];
        options.Audience = hitotsu["Audience"];
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = hitotsu["NameClaimType"];
        options.TokenValidationParameters.RoleClaimType = hitotsu["RoleClaimType"];
    });
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

// a page: who is signed in, and with which of the roles this application may see
app.MapGet("/", (ClaimsPrincipal user) =>
        $"{user.Identity!.Name} ({user.FindFirst("sub")?.Value}): {string.Join(", ", user.FindAll("roles").Select(role => role.Value))}")
    .RequireAuthorization();

// a page for one role only: others get 403
app.MapGet("/approvals", () => "承認待ち一覧")
    .RequireAuthorization(policy => policy.RequireRole("finance-approver"));

// sign-out: ends the cookie, then RP-initiated logout at Hitotsu, back through /signout-callback-oidc to "/"
app.MapGet("/logout", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
    [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));

// the API: bearer tokens only; without one the answer is 401, never a redirect to a login page
app.MapGet("/api/me", (ClaimsPrincipal user) => new
    {
        sub = user.FindFirst("sub")?.Value,
        roles = user.FindAll("roles").Select(role => role.Value),
    })
    .RequireAuthorization(policy => policy
        .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser());

app.Run();
